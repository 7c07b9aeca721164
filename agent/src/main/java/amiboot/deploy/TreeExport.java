package amiboot.deploy;

import amiboot.pipeline.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree into a new directory, keeping the executable bit and symlinks. With a
 * base (the tree of the release current points at, and that release's files), a file whose blob
 * and mode did not change since the base is a hard link to the base's file when {@link BaseFiles}
 * allows it; every other file is written from the repository.
 */
final class TreeExport {
  /** The tree a base release was deployed from, and its files on disk. */
  record Base(RevTree tree, BaseFiles files) {}

  /** What an export did: files written from the repository, files shared with the base. */
  record Counts(int written, int linked) {}

  private final ObjectReader reader;
  private final String displayUrl;

  TreeExport(ObjectReader reader, String displayUrl) {
    this.reader = reader;
    this.displayUrl = displayUrl;
  }

  Counts write(RevTree tree, Optional<Base> base, Path dest) throws IOException, BadInputException {
    Directories dirs = new Directories(dest.toAbsolutePath().normalize());
    int written = 0;
    int linked = 0;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      if (base.isPresent()) {
        walk.addTree(base.get().tree());
      }
      walk.setRecursive(true);
      while (walk.next()) {
        if (walk.getRawMode(0) == FileMode.TYPE_MISSING) {
          continue; // only in the base: deleted since
        }
        Path target = dirs.fileIn(walk.getPathString());
        if (reuse(walk, base, target)) {
          linked++;
        } else {
          writeEntry(walk.getFileMode(0), walk.getObjectId(0), target, dirs);
          written++;
        }
      }
    }
    return new Counts(written, linked);
  }

  /** Links the base's copy of an unchanged regular file; false when it must be written. */
  private boolean reuse(TreeWalk walk, Optional<Base> base, Path target) throws IOException {
    FileMode mode = walk.getFileMode(0);
    boolean regular = mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    if (base.isEmpty() || !regular || walk.getFileMode(1) != mode || !walk.idEqual(0, 1)) {
      return false;
    }
    long size = reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
    return base.get().files().link(walk.getPathString(), target, size, mode == FileMode.EXECUTABLE_FILE);
  }

  private void writeEntry(FileMode mode, ObjectId id, Path target, Directories dirs) throws IOException {
    if (mode == FileMode.GITLINK) {
      dirs.create(target); // submodules are not deployed: an empty directory, as git leaves one
    } else if (mode == FileMode.SYMLINK) {
      String link = new String(reader.open(id, Constants.OBJ_BLOB).getCachedBytes(), StandardCharsets.UTF_8);
      Files.createSymbolicLink(target, Path.of(link));
    } else {
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        reader.open(id, Constants.OBJ_BLOB).copyTo(out);
      }
      if (mode == FileMode.EXECUTABLE_FILE) {
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  /**
   * The release's directories, each made once with mkdir (not mkdir -p): one system call per
   * directory instead of a stat per file, and a path whose parent is not a directory made here
   * (a symlink from the repository, say) fails instead of being followed out of the release.
   */
  private final class Directories {
    private final Path root;
    private final Set<Path> made = new HashSet<>();

    Directories(Path root) throws IOException {
      this.root = root;
      Files.createDirectories(root);
      made.add(root);
    }

    /** The path of a tree entry inside the release, its parent directory made. */
    Path fileIn(String gitPath) throws IOException, BadInputException {
      Path target = root.resolve(gitPath).normalize();
      if (!target.startsWith(root) || target.equals(root)) {
        throw new BadInputException("repository " + displayUrl + " has a path outside the release: " + gitPath);
      }
      create(target.getParent());
      return target;
    }

    void create(Path dir) throws IOException {
      if (made.contains(dir)) {
        return;
      }
      create(dir.getParent());
      Files.createDirectory(dir);
      made.add(dir);
    }
  }
}
