package amiboot.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The app's user and group, to whom root gives the directories of deploy_to that it made: only
 * ever one that no one but root can change (see {@link RootOnly}), so that the path cannot be
 * swapped for a link between the check and the chown.
 */
public record FileOwner(int uid, int gid) {
  /** Changes the owner of {@code path} itself (a symlink, not its target). */
  public void apply(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }
}
