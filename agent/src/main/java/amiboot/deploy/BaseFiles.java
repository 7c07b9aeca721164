package amiboot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of a base release that a new release can share instead of rewriting: a hard link to
 * the base's file when it is the same content, untouched since its deploy. Releases are never
 * edited in place by amiboot; a file the app or an operator changed in place has a modification
 * time after the base's REVISION file, and is written afresh instead (git's own index trusts the
 * same stat data).
 */
public final class BaseFiles {
  private final Path root;
  private final Path revisionFile;
  private final FileTime deployedAt;
  /**
   * Directories of the base already checked: true when reached without a symlink (shared/ links
   * are not the release's). Concurrent: a release is written by several threads.
   */
  private final Map<Path, Boolean> realDirs = new ConcurrentHashMap<>();

  private BaseFiles(Path root, FileTime deployedAt) {
    this.root = root;
    this.revisionFile = root.resolve("REVISION");
    this.deployedAt = deployedAt;
  }

  /** Empty when there is no base, or it has no readable REVISION file (then nothing is reused). */
  public static Optional<BaseFiles> of(Optional<BaseRelease> base) {
    if (base.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path root = base.get().dir().toRealPath();
      FileTime deployedAt = Files.getLastModifiedTime(base.get().revisionFile(), LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new BaseFiles(root, deployedAt));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes {@code dest} a hard link to the base's {@code relativePath} when that is a regular file
   * of {@code size} bytes with the given executable bit, reached without symlinks and not modified
   * since the base was deployed. Returns false (and creates nothing) otherwise: the caller writes
   * the file. {@code dest} must not exist; its parent must.
   */
  public boolean link(String relativePath, Path dest, long size, boolean executable) {
    Path file = root.resolve(relativePath).normalize();
    // REVISION is the deploy's, written over the repository's file of that name: never the repository's content
    if (!file.startsWith(root) || file.equals(revisionFile) || !reachedWithoutSymlink(file.getParent())) {
      return false;
    }
    try {
      PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile() || attrs.size() != size
          || attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE) != executable
          || attrs.lastModifiedTime().compareTo(deployedAt) > 0) {
        return false;
      }
      Files.createLink(dest, file);
      return true;
    } catch (IOException e) {
      return false; // another file system, too many links, no permission: write it instead
    }
  }

  private boolean reachedWithoutSymlink(Path dir) {
    if (dir.equals(root)) {
      return true;
    }
    Boolean known = realDirs.get(dir);
    if (known != null) {
      return known;
    }
    boolean real = reachedWithoutSymlink(dir.getParent()) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
    realDirs.put(dir, real);
    return real;
  }
}
