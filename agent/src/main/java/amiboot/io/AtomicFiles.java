package amiboot.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces files and symlinks so that a reader (or a crash) only ever sees the old or the new
 * version: write a temp file in the same directory, fsync it, rename it over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to {@code target}, keeping the target's permissions if it exists. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> defaultPermissions)
      throws IOException {
    Path dir = parentOf(target);
    Set<PosixFilePermission> permissions =
        Files.exists(target) ? Files.getPosixFilePermissions(target) : defaultPermissions;
    removeLeftovers(dir, "." + target.getFileName() + ".", ".tmp");
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      // neither the write nor the chmod goes through a link put at the temp file's name
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        channel.write(java.nio.ByteBuffer.wrap(content));
        channel.force(true);
      }
      Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(permissions);
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Points {@code link} at {@code target}: a new symlink renamed over the old one, never rm + ln. */
  public static void replaceSymlink(Path link, Path target) throws IOException {
    removeLeftovers(parentOf(link), "." + link.getFileName() + ".new-", "");
    Path temp = parentOf(link).resolve("." + link.getFileName() + ".new-" + ProcessHandle.current().pid());
    Files.createSymbolicLink(temp, target);
    try {
      move(temp, link);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Deletes a tree without following symlinks: a link to shared/log is removed, its target kept. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return;
    }
    try (var children = Files.list(root)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        deleteTree(child);
      }
    }
    Files.delete(root);
  }

  /**
   * A process killed between writing its temp file and renaming it leaves the temp file behind.
   * Callers hold amiboot's lock, so a temp file of this name is a leftover, never in use.
   */
  private static void removeLeftovers(Path dir, String prefix, String suffix) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix))) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " over " + to + " atomically", e);
    }
  }

  private static Path parentOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory: " + file);
    }
    return parent;
  }
}
