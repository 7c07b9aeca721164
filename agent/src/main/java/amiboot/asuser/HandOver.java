package amiboot.asuser;

import amiboot.config.SharedConfig;
import amiboot.deploy.ReleaseLayout;
import amiboot.io.FileOwner;
import amiboot.io.RootOnly;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What root does under deploy_to, all of it: a baker may have made deploy_to, shared/ or a shared
 * dir as root (mkdir, or copying config/database.yml in); root gives the user those directories,
 * and makes deploy_to when it is missing. Only directories that no one but root can change (see
 * {@link RootOnly}) and deepest first, so that each is still root's alone when it is handed over;
 * a directory that is the user's already, or that another user could swap, is left alone.
 */
final class HandOver {
  /** What deploy_to may hold for root to give it away: amiboot's layout. Anything else is not the app's. */
  private static final Set<String> LAYOUT = Set.of("releases", "shared", "current", "repo", "revisions.log", "releases.json");

  /**
   * What else amiboot leaves in deploy_to: temp names of a run killed mid-rename, a cache set
   * aside. A dotfile else (/root's .bashrc) is not the app's layout.
   */
  private static final Pattern AMIBOOTS_TEMP = Pattern.compile(
      "repo\\.(partial|corrupt-.*)|releases\\.json\\.unreadable-.*|\\.current\\.new-\\d+|\\.releases\\.json\\..*\\.tmp");

  private HandOver() {}

  static void toUser(ReleaseLayout layout, SharedConfig shared, FileOwner owner, String userName) throws BootException {
    Path deployTo = layout.deployTo();
    try {
      if (RootOnly.missing(deployTo)) {
        Files.createDirectories(deployTo);
        owner.apply(deployTo);
        return;
      }
      if (RootOnly.whyNot(deployTo).isEmpty()) {
        refuseForeignContent(deployTo, userName);
      }
      for (Path dir : deepestFirst(layout, shared)) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && RootOnly.whyNot(dir).isEmpty()) {
          owner.apply(dir);
        }
      }
      Leftovers.giveToUser(deployTo, userName, owner);
    } catch (IOException e) {
      throw new CannotWriteException("cannot give " + deployTo + " to user " + userName + ": " + Messages.describe(e), e);
    }
  }

  /** The layout's directories root may have made: each shared dir and its parents, shared/, releases/, deploy_to. */
  private static List<Path> deepestFirst(ReleaseLayout layout, SharedConfig shared) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : shared.dirs()) {
      for (Path p = Path.of(dir); p != null; p = p.getParent()) {
        dirs.add(layout.shared().resolve(p));
      }
    }
    dirs.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
    dirs.add(layout.shared());
    dirs.add(layout.releases());
    dirs.add(layout.deployTo());
    return dirs;
  }

  /** deploy_to: /usr/local by mistake must not hand /usr/local to the app. */
  private static void refuseForeignContent(Path deployTo, String userName) throws IOException, BadInputException {
    try (Stream<Path> entries = Files.list(deployTo)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!LAYOUT.contains(name) && !AMIBOOTS_TEMP.matcher(name).matches()) {
          throw new BadInputException("deploy_to " + deployTo + " is root's and holds " + name + ", which is not amiboot's:"
              + " if it is the app's directory, chown it to " + userName + "; else pick another deploy_to");
        }
      }
    }
  }
}
