package amiboot.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * The owner to give files amiboot creates for the app: amiboot runs as root at boot, the app as
 * its own user, who must be able to write its logs and pid files.
 */
public record FileOwner(int uid, int gid) {
  /** Changes the owner of {@code path} and, for a directory, everything under it; links themselves, never their targets. */
  public void applyTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        apply(p);
      }
    }
  }

  /** Creates {@code dir} and its missing parents, each of those it creates given to this owner (not those that exist). */
  public void createDirectories(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    for (Path p : missing) { // outermost first
      Files.createDirectories(p);
      apply(p);
    }
  }

  /** Changes the owner of {@code path} itself (a symlink, not its target). */
  public void apply(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }
}
