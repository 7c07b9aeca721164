package amiboot.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs steps in order, timing each one and reporting it as soon as it ends. */
public final class Pipeline {
  /** One step's work. */
  @FunctionalInterface
  public interface Step<T> {
    StepOutcome<T> run() throws BootException;
  }

  /** The step running now, and since when ({@link System#nanoTime()}). */
  public record Running(StepName step, long sinceNanos) {
    public Duration elapsed() {
      return since(sinceNanos);
    }
  }

  private final Progress progress;
  private final List<StepResult> results = new ArrayList<>();
  /** Read by a shutdown hook's thread, which says what a signal interrupted. */
  private volatile Running running;

  public Pipeline(Progress progress) {
    this.progress = progress;
  }

  public <T> T run(StepName name, Step<T> step) throws BootException {
    long start = System.nanoTime();
    Running outer = running;
    running = new Running(name, start);
    try {
      StepOutcome<T> outcome = step.run();
      report(new StepResult(name, outcome.status(), since(start), outcome.detail()));
      return outcome.value();
    } catch (BootException | RuntimeException e) {
      report(new StepResult(name, StepStatus.FAILED, since(start), e.getMessage()));
      throw e;
    } finally {
      running = outer;
    }
  }

  /** The step running now; empty between steps. */
  public Optional<Running> running() {
    return Optional.ofNullable(running);
  }

  public void skip(StepName name, String reason) {
    report(new StepResult(name, StepStatus.SKIPPED, Duration.ZERO, reason));
  }

  public List<StepResult> results() {
    synchronized (results) {
      return List.copyOf(results);
    }
  }

  private void report(StepResult result) {
    synchronized (results) {
      results.add(result);
    }
    progress.finished(result);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
