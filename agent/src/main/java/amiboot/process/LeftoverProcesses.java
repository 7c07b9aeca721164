package amiboot.process;

import amiboot.io.UntrustedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes a release's pid files name (shared/tmp/pids/*.pid), read before its stop command
 * runs: after it, whatever of them still runs (a stop that failed, or returned before the app
 * exited) is ended, so that the next release's start does not find the old server holding its
 * port, and its health check does not pass on the old server's answer. Only processes of the
 * role's user, and signalled as that user: a pid file is the user's to write, and must never make
 * root signal another process.
 */
public final class LeftoverProcesses {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration AFTER_KILL = Duration.ofSeconds(5);

  private final RunAs runAs;
  private final List<ProcessHandle> running;

  private LeftoverProcesses(RunAs runAs, List<ProcessHandle> running) {
    this.runAs = runAs;
    this.running = running;
  }

  /** The live processes of {@code runAs}'s user that the pid files in {@code pidDir} name now. */
  public static LeftoverProcesses named(Path pidDir, RunAs runAs) {
    List<ProcessHandle> running = new ArrayList<>();
    if (!Files.isDirectory(pidDir, LinkOption.NOFOLLOW_LINKS)) {
      return new LeftoverProcesses(runAs, running);
    }
    long uid = runAs.account().map(a -> (long) a.uid()).orElse((long) RunAs.currentUid());
    try (Stream<Path> files = Files.list(pidDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".pid")) {
          pidIn(file).flatMap(ProcessHandle::of).filter(p -> ownedBy(p, uid)).ifPresent(running::add);
        }
      }
    } catch (IOException e) {
      // no pid files to go by
    }
    return new LeftoverProcesses(runAs, running);
  }

  /**
   * Waits up to {@code grace} for them to exit, then sends SIGTERM, and after {@code grace} again
   * SIGKILL, to those left (and their children). Returns what it had to do, or empty.
   */
  public Optional<String> end(Duration grace) throws InterruptedException {
    List<ProcessHandle> left = waitFor(running, grace);
    if (left.isEmpty()) {
      return Optional.empty();
    }
    String pids = String.join(" ", left.stream().map(p -> Long.toString(p.pid())).toList());
    signal("TERM", withChildren(left));
    List<ProcessHandle> stubborn = waitFor(left, grace);
    if (stubborn.isEmpty()) {
      return Optional.of("pid " + pids + " still ran after the stop: ended with SIGTERM");
    }
    signal("KILL", withChildren(stubborn));
    List<ProcessHandle> unkillable = waitFor(stubborn, AFTER_KILL);
    return Optional.of("pid " + pids + " still ran after the stop: ended with SIGKILL"
        + (unkillable.isEmpty() ? "" : "; pid " + unkillable.get(0).pid() + " did not exit even then"));
  }

  private static List<ProcessHandle> waitFor(List<ProcessHandle> processes, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      alive = alive.stream().filter(ProcessHandle::isAlive).toList();
    }
    return alive;
  }

  private static List<ProcessHandle> withChildren(List<ProcessHandle> processes) {
    List<ProcessHandle> all = new ArrayList<>(processes);
    processes.forEach(p -> p.descendants().forEach(all::add));
    return all;
  }

  /** As the user (kill through setpriv): the kernel then refuses any pid that is not the user's. */
  private void signal(String signal, List<ProcessHandle> processes) throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of("kill", "-" + signal, "--"));
    processes.forEach(p -> argv.add(Long.toString(p.pid())));
    try {
      runAs.runQuietly(argv, Duration.ofSeconds(5));
    } catch (IOException e) {
      // kill missing: the start that follows says whether the port is free
    }
  }

  private static Optional<Long> pidIn(Path file) {
    try {
      return Optional.of(Long.parseLong(UntrustedFile.read(file, 32).strip())).filter(pid -> pid > 1);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean ownedBy(ProcessHandle process, long uid) {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc", Long.toString(process.pid())), "unix:uid")).longValue() == uid
          && process.isAlive();
    } catch (IOException e) {
      return false;
    }
  }
}
