package amiboot.deploy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A tree as a test compares it: every path with its kind, bytes (as a digest), executable bit, symlink target. */
final class ExportedTree {
  private ExportedTree() {}

  /** Path -> "dir", "link -> target", or "file rwxr-xr-x sha256"; {@code except}: top-level names left out. */
  static Map<String, String> of(Path root, Set<String> except) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (dir.equals(root)) {
          return FileVisitResult.CONTINUE;
        }
        if (except.contains(root.relativize(dir).toString())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        tree.put(root.relativize(dir).toString(), "dir");
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String relative = root.relativize(file).toString();
        if (except.contains(relative)) {
          return FileVisitResult.CONTINUE;
        }
        if (attrs.isSymbolicLink()) {
          tree.put(relative, "link -> " + Files.readSymbolicLink(file));
        } else {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
          tree.put(relative, "file " + mode + " " + sha256(Files.readAllBytes(file)));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return tree;
  }

  /** The manifest an export of {@code root} should have recorded, as a set (the record's order is the export's). */
  static Set<SvnManifest.Entry> manifest(Path root) throws IOException {
    Set<SvnManifest.Entry> entries = new java.util.HashSet<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root)) {
          entries.add(SvnManifest.Entry.dir(root.relativize(dir).toString()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String relative = root.relativize(file).toString();
        entries.add(attrs.isSymbolicLink() ? SvnManifest.Entry.link(relative)
            : SvnManifest.Entry.file(relative, attrs.size(), Files.isExecutable(file)));
        return FileVisitResult.CONTINUE;
      }
    });
    return entries;
  }

  static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
