package amiboot.pipeline;

import amiboot.io.RootOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One amiboot at a time per box. An OS file lock (released by the kernel if amiboot dies, so a
 * crash never leaves a stale lock); the holder's pid is written into the file for the message.
 */
public final class BootLock implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private final FileChannel channel;
  private final FileLock lock;

  private BootLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static BootLock acquire(Path stateDir) throws BootException {
    return acquire(stateDir, Duration.ZERO, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /**
   * Takes the lock, waiting up to {@code wait} for another amiboot to release it: the stop path of
   * {@code amiboot start} waits for a deploy in progress, since that deploy restarts its workers
   * through it, rather than leave them unsupervised.
   */
  public static BootLock acquire(Path stateDir, Duration wait, Clock clock, Sleeper sleeper) throws BootException {
    return acquireFile(stateDir.resolve("amiboot.lock"), wait, clock, sleeper);
  }

  /**
   * The same kind of lock on another file: {@code amiboot start} holds one for its whole life, so
   * that a second one never takes over the first one's control socket.
   */
  public static BootLock acquireFile(Path file, Duration wait, Clock clock, Sleeper sleeper) throws BootException {
    FileChannel channel;
    try {
      refuseDirectoryOthersCanChange(file);
      Files.createDirectories(file.getParent());
      // never through a link: a lock file is truncated and written
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new CannotWriteException("cannot create the lock file (" + file + "): " + (Files.isSymbolicLink(file)
          ? "it is a symlink; remove it (amiboot never writes through one)"
          : Messages.describe(e) + "; check state_dir and permissions"), e);
    }
    try {
      Instant deadline = clock.instant().plus(wait);
      FileLock lock = tryLock(channel);
      while (lock == null && clock.instant().isBefore(deadline)) {
        sleeper.sleep(POLL);
        lock = tryLock(channel);
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        String waited = wait.isZero() ? "" : " (waited " + wait.toSeconds() + "s)";
        throw new LockHeldException(
            "another amiboot (pid " + holder + ") holds " + file + waited + "; wait for it to finish, then run again", holder);
      }
      writeHolder(channel);
      return new BootLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CannotWriteException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      closeQuietly(channel);
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for " + file);
    }
  }

  /**
   * As root, the lock and the state are kept only where no other user can swap a path: a lock
   * file that someone else could replace by a link would have root truncate what it points at.
   */
  private static void refuseDirectoryOthersCanChange(Path lockFile) throws IOException, CannotWriteException {
    Path dir = lockFile.getParent();
    Optional<String> why = RootOnly.whyNotWhenRoot(dir);
    if (why.isPresent()) {
      throw new CannotWriteException("cannot lock " + lockFile + ": state_dir " + dir + " is not root's alone (" + why.get()
          + "); amiboot runs as root and keeps its lock and state only where no other user can write: chown root and"
          + " chmod go-w it");
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this same JVM
    }
  }

  /**
   * The pid is only for another amiboot's message, and the lock is the kernel's: a full disk
   * that has no room for the pid does not stop this run (the other one says "pid unknown").
   */
  private static void writeHolder(FileChannel channel) throws IOException {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
    } catch (IOException e) {
      if (!DiskFull.causedBy(e)) {
        throw e;
      }
    }
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    // Anyone with write access may have put anything there: shown escaped, never as raw bytes.
    String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    return pid.isEmpty() ? "unknown" : Messages.shown(pid, 40);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing; the first error is the one to report
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the kernel drops the lock when the process exits anyway
    }
  }
}
