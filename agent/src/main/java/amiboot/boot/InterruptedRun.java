package amiboot.boot;

import amiboot.config.DurationText;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JVM shutdown hook for one recorded run. When a signal ends the process mid-run (SIGTERM
 * from systemd or from {@code timeout} in rc.local, Ctrl-C), it says on stderr, in one line,
 * which step was running, and has the run recorded as interrupted in state.json: a killed boot
 * used to leave nothing on stderr and no record. Whichever ends the run first, the run itself or
 * a signal, records it ({@link #claim()}); a signal during the run's own record waits for it.
 */
final class InterruptedRun implements AutoCloseable {
  private static final Duration RECORD_WAIT = Duration.ofSeconds(5);

  /** Writes the interrupted run's record ({@code running} null between steps); returns where. */
  @FunctionalInterface
  interface Recorder {
    Path record(Pipeline.Running running, String error) throws BootException;
  }

  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CountDownLatch recorded = new CountDownLatch(1);
  private final Thread hook;

  private InterruptedRun(String command, Pipeline pipeline, Recorder recorder, PrintStream err) {
    this.hook = new Thread(() -> onSignal(command, pipeline, recorder, err), "amiboot-interrupted");
  }

  static InterruptedRun register(String command, Pipeline pipeline, Recorder recorder, PrintStream err) {
    InterruptedRun run = new InterruptedRun(command, pipeline, recorder, err);
    Runtime.getRuntime().addShutdownHook(run.hook);
    return run;
  }

  /** For the run's own record: true when it may write it, false once a signal has claimed it. */
  boolean claim() {
    return claimed.compareAndSet(false, true);
  }

  /**
   * For the run, once a signal has claimed it: waits for the process to end. The hook's line is
   * the run's one line on stderr; a failure the signal caused (a start command killed with the
   * process group) must not add a second.
   */
  void awaitExit() {
    try {
      hook.join();
      Thread.sleep(Long.MAX_VALUE); // the JVM halts once its shutdown hooks have run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The run's own record is written (or has failed): a signal need not wait for it. */
  void recorded() {
    recorded.countDown();
  }

  private void onSignal(String command, Pipeline pipeline, Recorder recorder, PrintStream err) {
    if (!claim()) {
      awaitRecord();
      return;
    }
    Pipeline.Running running = pipeline.running().orElse(null);
    String where = running == null ? "between steps"
        : "during step " + running.step().label() + " (" + DurationText.format(running.elapsed()) + " into it)";
    String error = command + " interrupted by a signal " + where;
    String recordedIn;
    try {
      recordedIn = "recorded in " + recorder.record(running, error);
    } catch (BootException | RuntimeException e) {
      recordedIn = "not recorded (" + e.getMessage() + ")";
    }
    err.println("amiboot: " + error + "; " + recordedIn + "; run amiboot " + command + " again");
    err.flush();
  }

  private void awaitRecord() {
    try {
      recorded.await(RECORD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    claim();
    recorded();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs now, or has run: it found the run claimed
    }
  }
}
