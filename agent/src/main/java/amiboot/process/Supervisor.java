package amiboot.process;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a role's foreground workers and keeps them running: a worker that dies is started again
 * after a growing delay, and one that dies too often is marked failed instead of looping
 * forever. Each worker is the leader of its own process group (started through {@code setsid}),
 * so that stopping it reaches whatever it started. Its output goes to its own log file, which it
 * opens itself, as its user (see {@link AppLog}); only a failure to get that far (setpriv, or sh
 * opening the log) reaches amiboot's stderr.
 *
 * <p>All state lives on one scheduler thread: process exits and requests are queued to it, so
 * nothing here needs a lock.
 */
public final class Supervisor implements AutoCloseable {
  private final List<Worker> workers = new ArrayList<>();
  private final RestartPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "amiboot-supervisor");
    t.setDaemon(true);
    return t;
  });
  private boolean stopping;

  public Supervisor(List<WorkerSpec> specs, RestartPolicy policy, Clock clock) {
    specs.forEach(spec -> workers.add(new Worker(spec)));
    this.policy = policy;
    this.clock = clock;
  }

  /** Starts every worker; a worker that cannot start is retried like one that died. */
  public void start() {
    onScheduler(() -> workers.forEach(this::launch));
  }

  public List<WorkerStatus> statuses() {
    return onScheduler(() -> workers.stream().map(Worker::status).toList());
  }

  /**
   * Stops every worker: SIGTERM to each process group, then SIGKILL to the groups still there
   * after {@code timeout}. No worker is restarted once this has begun.
   */
  public void stop(Duration timeout) throws InterruptedException {
    List<Worker> running = onScheduler(() -> {
      stopping = true;
      List<Worker> live = new ArrayList<>();
      for (Worker w : workers) {
        w.process.filter(Process::isAlive).ifPresent(p -> {
          signalGroup(w, "TERM");
          live.add(w);
        });
      }
      return live;
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Worker w : running) {
      Process p = w.process.orElseThrow();
      long left = deadline - System.nanoTime();
      if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
        signalGroup(w, "KILL");
        p.waitFor(5, TimeUnit.SECONDS);
      }
      // the group may outlive its leader (a child that ignored SIGTERM): make sure it is gone
      signalGroup(w, "KILL");
    }
    onScheduler(() -> workers.forEach(w -> {
      w.state = WorkerStatus.State.STOPPED;
      AppLog.removeQuietly(w.spec.runAs(), w.spec.pidFile());
    }));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private void launch(Worker w) {
    if (stopping) {
      return;
    }
    try {
      // its own shell, as the user, writes the header and the pid file and opens the log
      String header = "--- " + clock.instant() + " amiboot " + w.spec.name() + ": "
          + String.join(" ", w.spec.runAs().wrap(w.spec.argv()));
      List<String> argv = new ArrayList<>(List.of("setsid"));
      argv.addAll(w.spec.appLog().argv(header, Optional.of(w.spec.pidFile()), w.spec.directory(), w.spec.argv()));
      ProcessBuilder builder = new ProcessBuilder(argv).directory(new File("/"))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().clear();
      builder.environment().putAll(CommandRunner.environment(w.spec.env()));
      Process process = builder.start();
      w.started(process, clock.instant());
      process.onExit().thenRun(() -> scheduler.execute(() -> exited(w, process)));
    } catch (IOException e) {
      appendQuietly(w.spec, "--- amiboot: cannot start " + w.spec.name() + ": " + e.getMessage());
      scheduleRestart(w);
    }
  }

  private void exited(Worker w, Process process) {
    if (stopping || w.process.filter(process::equals).isEmpty()) {
      return;
    }
    appendQuietly(w.spec, "--- " + clock.instant() + " amiboot: " + w.spec.name() + " exited with " + process.exitValue());
    scheduleRestart(w);
  }

  private void scheduleRestart(Worker w) {
    Instant now = clock.instant();
    while (!w.restartTimes.isEmpty() && w.restartTimes.peekFirst().isBefore(now.minus(policy.window()))) {
      w.restartTimes.removeFirst();
    }
    if (w.restartTimes.size() >= policy.maxRestarts()) {
      w.state = WorkerStatus.State.FAILED;
      AppLog.removeQuietly(w.spec.runAs(), w.spec.pidFile());
      appendQuietly(w.spec, "--- amiboot: " + w.spec.name() + " failed: " + w.restartTimes.size() + " restarts within "
          + policy.window().toSeconds() + "s; not started again");
      return;
    }
    Duration delay = policy.delay(w.restartTimes.size());
    w.state = WorkerStatus.State.BACKOFF;
    w.restartTimes.addLast(now);
    w.restarts++;
    scheduler.schedule(() -> launch(w), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Signals a whole process group (the worker and everything it started); a group already gone is
   * fine. As the worker's user: the leader may be reaped by now and its pid reused, and a kill as
   * root would reach whoever has it.
   */
  private static void signalGroup(Worker w, String signal) {
    long pgid = w.process.orElseThrow().pid();
    try {
      w.spec.runAs().runQuietly(List.of("kill", "-" + signal, "--", "-" + pgid), Duration.ofSeconds(5));
    } catch (IOException e) {
      w.process.filter(Process::isAlive).ifPresent(signal.equals("KILL") ? Process::destroyForcibly : Process::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T onScheduler(java.util.concurrent.Callable<T> task) {
    try {
      return scheduler.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void onScheduler(Runnable task) {
    onScheduler(() -> {
      task.run();
      return null;
    });
  }

  private static void appendQuietly(WorkerSpec spec, String line) {
    spec.appLog().appendQuietly(line);
  }

  /** One worker's mutable state, touched only on the scheduler thread. */
  private static final class Worker {
    final WorkerSpec spec;
    final Deque<Instant> restartTimes = new ArrayDeque<>();
    Optional<Process> process = Optional.empty();
    WorkerStatus.State state = WorkerStatus.State.STOPPED;
    Optional<Instant> since = Optional.empty();
    int restarts;

    Worker(WorkerSpec spec) {
      this.spec = spec;
    }

    void started(Process p, Instant at) {
      process = Optional.of(p);
      state = WorkerStatus.State.RUNNING;
      since = Optional.of(at);
    }

    WorkerStatus status() {
      OptionalLong pid = state == WorkerStatus.State.RUNNING ? process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty())
          : OptionalLong.empty();
      return new WorkerStatus(spec.name(), pid, state, restarts, state == WorkerStatus.State.RUNNING ? since : Optional.empty());
    }
  }
}
