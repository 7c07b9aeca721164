package amiboot.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an export wrote: every directory, file (with its size and executable bit, as written) and
 * symlink, parents before children. A later export reuses the unchanged files of this one only
 * if they still match it (see {@link BaseFiles}).
 */
record SvnManifest(List<Entry> entries) {
  enum Kind { DIR, FILE, LINK }

  /** One path of the export, relative, '/'-separated; size and executable only mean something for a FILE. */
  record Entry(Kind kind, String path, long size, boolean executable) {
    String line() {
      return switch (kind) {
        case DIR -> "d\t" + path;
        case LINK -> "l\t" + path;
        case FILE -> "f\t" + size + "\t" + (executable ? "x" : "-") + "\t" + path;
      };
    }

    static Optional<Entry> parse(String line) {
      String[] f = line.split("\t", -1);
      if (!relative(f[f.length - 1])) {
        return Optional.empty();
      }
      try {
        if (f.length == 2 && f[0].equals("d")) {
          return Optional.of(new Entry(Kind.DIR, f[1], 0, false));
        }
        if (f.length == 2 && f[0].equals("l")) {
          return Optional.of(new Entry(Kind.LINK, f[1], 0, false));
        }
        if (f.length == 4 && f[0].equals("f") && (f[2].equals("x") || f[2].equals("-"))) {
          return Optional.of(new Entry(Kind.FILE, f[3], Long.parseLong(f[1]), f[2].equals("x")));
        }
      } catch (NumberFormatException e) {
        // falls through: not an entry
      }
      return Optional.empty();
    }
  }

  /** A path that stays inside the tree it is resolved against: no "", ".", ".." segments, no leading '/'. */
  static boolean relative(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The tree under {@code root} as it is now. Empty if it holds something an svn export never
   * writes (a device, a fifo), or a name a line-based record cannot hold (Subversion refuses
   * control characters in paths, so this only happens to a tree that is not an export).
   */
  static Optional<SvnManifest> of(Path root) throws IOException {
    List<Entry> entries = new ArrayList<>();
    boolean[] unusable = {false};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root)) {
          add(Kind.DIR, dir, 0, false);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
          add(Kind.LINK, file, 0, false);
        } else if (attrs.isRegularFile()) {
          add(Kind.FILE, file, attrs.size(), executable(file, attrs));
        } else {
          unusable[0] = true;
        }
        return FileVisitResult.CONTINUE;
      }

      private boolean executable(Path file, BasicFileAttributes attrs) throws IOException {
        PosixFileAttributes posix = attrs instanceof PosixFileAttributes p ? p
            : Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
      }

      private void add(Kind kind, Path path, long size, boolean executable) {
        String relative = root.relativize(path).toString();
        if (relative.chars().anyMatch(c -> c < 0x20)) {
          unusable[0] = true;
        }
        entries.add(new Entry(kind, relative, size, executable));
      }
    });
    return unusable[0] ? Optional.empty() : Optional.of(new SvnManifest(List.copyOf(entries)));
  }
}
