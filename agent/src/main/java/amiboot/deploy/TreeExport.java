package amiboot.deploy;

import amiboot.pipeline.BadInputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree into a new directory, keeping the executable bit and symlinks. With a
 * base (the tree of the release current points at, and that release's files), a file whose blob
 * and mode did not change since the base is a hard link to the base's file when {@link BaseFiles}
 * allows it; every other file is written from the repository.
 *
 * <p>One thread walks the trees and makes the directories; the regular files are then written
 * (or linked) in pack order ({@link PackOrder}) by {@code threads} threads, each with its own
 * ObjectReader. Reading a blob means inflating it and, in a packed repository, applying its
 * chain of deltas (up to 50 deep): CPU work, spread over the cores.
 */
final class TreeExport {
  /** The tree a base release was deployed from, and its files on disk. */
  record Base(RevTree tree, BaseFiles files) {}

  /** What an export did: files written from the repository, files shared with the base. */
  record Counts(int written, int linked) {}

  /** A regular file to write, or to link from the base when {@code unchanged}. */
  private record FileJob(String gitPath, Path target, ObjectId id, boolean executable, boolean unchanged) {}

  /**
   * Chunks per thread: a thread takes neighbours in the pack together (their delta chains are
   * in its cache), and small enough chunks even out the threads' work.
   */
  private static final int CHUNKS_PER_THREAD = 4;
  private static final int MIN_CHUNK = 16;

  private final Repository repo;
  private final String displayUrl;
  private final int threads;

  TreeExport(Repository repo, String displayUrl, int threads) {
    this.repo = repo;
    this.displayUrl = displayUrl;
    this.threads = threads;
  }

  Counts write(RevTree tree, Optional<Base> base, Path dest) throws IOException, BadInputException {
    List<FileJob> files = PackOrder.sorted(repo, walk(tree, base, dest), FileJob::id);
    Optional<BaseFiles> baseFiles = base.map(Base::files);
    int chunk = Math.max(MIN_CHUNK, files.size() / (threads * CHUNKS_PER_THREAD));
    // a link is a few system calls; threads only pay for themselves when there is content to inflate
    long toWrite = files.stream().filter(f -> !f.unchanged()).count();
    if (threads <= 1 || toWrite < 2 * chunk) {
      return new Worker(files, baseFiles, chunk, new AtomicInteger()).call();
    }
    return inParallel(files, baseFiles, chunk);
  }

  /** Makes the directories, symlinks and submodule placeholders; returns the regular files to write. */
  private List<FileJob> walk(RevTree tree, Optional<Base> base, Path dest) throws IOException, BadInputException {
    Directories dirs = new Directories(dest.toAbsolutePath().normalize());
    List<FileJob> files = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      if (base.isPresent()) {
        walk.addTree(base.get().tree());
      }
      walk.setRecursive(true);
      while (walk.next()) {
        if (walk.getRawMode(0) == FileMode.TYPE_MISSING) {
          continue; // only in the base: deleted since
        }
        String path = walk.getPathString();
        if (DotGit.in(path)) {
          throw DotGit.refused(displayUrl, path);
        }
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.GITLINK) {
          // submodules are not deployed: an empty directory, as git leaves one
          dirs.create(dirs.entry(path));
          continue;
        }
        Path target = dirs.entry(path);
        dirs.taken(target);
        if (mode == FileMode.SYMLINK) {
          String link = new String(reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getCachedBytes(), StandardCharsets.UTF_8);
          Files.createSymbolicLink(target, Path.of(link));
        } else {
          boolean unchanged = base.isPresent() && walk.getFileMode(1) == mode && walk.idEqual(0, 1);
          files.add(new FileJob(path, target, walk.getObjectId(0), mode == FileMode.EXECUTABLE_FILE, unchanged));
        }
      }
    }
    return files;
  }

  private Counts inParallel(List<FileJob> files, Optional<BaseFiles> baseFiles, int chunk) throws IOException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "amiboot-export");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Counts>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(new Worker(files, baseFiles, chunk, next)));
      }
      int written = 0;
      int linked = 0;
      for (Future<Counts> result : results) {
        Counts c = result.get();
        written += c.written();
        linked += c.linked();
      }
      return new Counts(written, linked);
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the release");
    } finally {
      // after a failure the other threads stop at their next chunk; wait for them, so that none
      // writes into the release while the caller removes it
      next.set(files.size());
      pool.shutdown();
      awaitQuietly(pool);
    }
  }

  private static IOException rethrown(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Takes chunks of files until none are left; links or writes each. */
  private final class Worker implements java.util.concurrent.Callable<Counts> {
    private final List<FileJob> files;
    private final Optional<BaseFiles> baseFiles;
    private final int chunk;
    private final AtomicInteger next;

    Worker(List<FileJob> files, Optional<BaseFiles> baseFiles, int chunk, AtomicInteger next) {
      this.files = files;
      this.baseFiles = baseFiles;
      this.chunk = chunk;
      this.next = next;
    }

    @Override
    public Counts call() throws IOException {
      int written = 0;
      int linked = 0;
      try (ObjectReader reader = repo.newObjectReader()) {
        for (int start = next.getAndAdd(chunk); start < files.size(); start = next.getAndAdd(chunk)) {
          for (FileJob file : files.subList(start, Math.min(start + chunk, files.size()))) {
            if (file.unchanged() && link(reader, file)) {
              linked++;
            } else {
              writeFile(reader, file);
              written++;
            }
          }
        }
      }
      return new Counts(written, linked);
    }

    private boolean link(ObjectReader reader, FileJob file) throws IOException {
      long size = reader.getObjectSize(file.id(), Constants.OBJ_BLOB);
      return baseFiles.orElseThrow().link(file.gitPath(), file.target(), size, file.executable());
    }
  }

  private static void writeFile(ObjectReader reader, FileJob file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file.target(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      reader.open(file.id(), Constants.OBJ_BLOB).copyTo(out);
    }
    if (file.executable()) {
      Files.setPosixFilePermissions(file.target(), PosixFilePermissions.fromString("rwxr-xr-x"));
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
    /** Every other entry's path: a name taken twice is a tree git itself refuses (git fsck: duplicateEntries). */
    private final Set<Path> others = new HashSet<>();

    Directories(Path root) throws IOException {
      this.root = root;
      Files.createDirectories(root);
      made.add(root);
    }

    /** The path of a tree entry inside the release, its parent directory made; not yet taken by another entry. */
    Path entry(String gitPath) throws IOException, BadInputException {
      Path target = root.resolve(gitPath).normalize();
      if (!target.startsWith(root) || target.equals(root)) {
        throw new BadInputException("repository " + displayUrl + " has a path outside the release: " + gitPath);
      }
      create(target.getParent());
      if (made.contains(target) || others.contains(target)) {
        throw twice(target);
      }
      return target;
    }

    /** {@code target} is a file or a symlink from now on. */
    void taken(Path target) {
      others.add(target);
    }

    void create(Path dir) throws IOException, BadInputException {
      if (made.contains(dir)) {
        return;
      }
      if (others.contains(dir)) {
        throw twice(dir);
      }
      create(dir.getParent());
      Files.createDirectory(dir);
      made.add(dir);
    }

    private BadInputException twice(Path path) {
      return new BadInputException("repository " + displayUrl + ": the tree has two entries named " + root.relativize(path)
          + ", which git itself refuses (git fsck: duplicateEntries): fix the repository's history");
    }
  }
}
