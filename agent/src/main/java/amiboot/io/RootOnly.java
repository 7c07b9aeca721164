package amiboot.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Whether only root can change a directory: what its path leads to (no entry on the way, symlinks
 * included, that another user can rename, replace or retarget) and what is in it (owned by root,
 * writable by no group or other). Root may act by path inside such a directory, as sshd's
 * StrictModes reasons about a home directory; anywhere else a path can be swapped under it.
 */
public final class RootOnly {
  private static final int MAX_LINKS = 40;

  private RootOnly() {}

  /**
   * Empty when only root can change {@code dir}; else why not, naming the path. A directory that
   * does not exist is root-only when the directory it would be made in is (root can make it there
   * and nobody else can put something in its place): see {@link #missing}.
   */
  public static Optional<String> whyNot(Path dir) throws IOException {
    Optional<String> why = walk(dir);
    return why.filter(w -> !w.endsWith(MISSING));
  }

  /** Whether {@code dir} is root-only (see {@link #whyNot}) and does not exist yet. */
  public static boolean missing(Path dir) throws IOException {
    return walk(dir).filter(w -> w.endsWith(MISSING)).isPresent();
  }

  /**
   * As {@link #whyNot}, asked only when this process runs as root, which is when it matters who
   * else can write: empty for any other user.
   */
  public static Optional<String> whyNotWhenRoot(Path dir) throws IOException {
    return runningAsRoot() ? whyNot(dir) : Optional.empty();
  }

  /** Whether this process runs as root (uid 0), which is when it matters who else can write. */
  public static boolean runningAsRoot() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static final String MISSING = " does not exist";

  private static Optional<String> walk(Path dir) throws IOException {
    Deque<String> names = names(dir);
    Path at = Path.of("/");
    Optional<String> rootDir = whyNotRootsDir(at, attributes(at));
    if (rootDir.isPresent()) {
      return rootDir;
    }
    int links = 0;
    while (!names.isEmpty()) {
      String name = names.removeFirst();
      if (name.equals("..")) {
        at = at.getParent() == null ? at : at.getParent();
        continue;
      }
      Path entry = at.resolve(name);
      PosixFileAttributes attrs;
      try {
        attrs = attributes(entry);
      } catch (NoSuchFileException e) {
        // in a sticky directory (/tmp) another user could make that name after the look
        return Optional.of(sticky(at) && othersWrite(attributes(at)) ? at + " is writable by others (sticky): " + entry
            + " could be made there by anyone" : entry + MISSING);
      }
      if (attrs.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          return Optional.of(entry + ": too many symlinks");
        }
        if (uid(entry) != 0) {
          return Optional.of(entry + " is a symlink of uid " + uid(entry));
        }
        // a root's link in a root-only directory: only root could have made it, so follow it
        Deque<String> target = names(at.resolve(Files.readSymbolicLink(entry)));
        target.descendingIterator().forEachRemaining(names::addFirst);
        at = Path.of("/");
        continue;
      }
      if (!attrs.isDirectory()) {
        return Optional.of(entry + " is not a directory");
      }
      Optional<String> why = whyNotRootsDir(entry, attrs);
      if (why.isPresent()) {
        return why;
      }
      at = entry;
    }
    return Optional.empty();
  }

  /** A directory whose entries only root can change: owned by root, no write bit for group or other. */
  private static Optional<String> whyNotRootsDir(Path dir, PosixFileAttributes attrs) throws IOException {
    int uid = uid(dir);
    if (uid != 0) {
      return Optional.of(dir + " belongs to uid " + uid);
    }
    if (othersWrite(attrs) && !sticky(dir)) {
      return Optional.of(dir + " is writable by its group or by others");
    }
    // sticky (/tmp): others may add entries but not rename or remove root's, and the walk goes on
    // only through root's entries
    return Optional.empty();
  }

  private static int uid(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean othersWrite(PosixFileAttributes attrs) {
    return attrs.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE);
  }

  private static boolean sticky(Path dir) throws IOException {
    int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 01000) != 0;
  }

  private static PosixFileAttributes attributes(Path p) throws IOException {
    return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static Deque<String> names(Path path) {
    Deque<String> names = new ArrayDeque<>();
    for (Path name : path.toAbsolutePath()) {
      if (!name.toString().equals(".")) {
        names.addLast(name.toString());
      }
    }
    return names;
  }
}
