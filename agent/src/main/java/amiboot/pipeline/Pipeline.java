package amiboot.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs steps in order, timing each one and reporting it as soon as it ends. */
public final class Pipeline {
  /** One step's work. */
  @FunctionalInterface
  public interface Step<T> {
    StepOutcome<T> run() throws BootException;
  }

  private final Progress progress;
  private final List<StepResult> results = new ArrayList<>();

  public Pipeline(Progress progress) {
    this.progress = progress;
  }

  public <T> T run(StepName name, Step<T> step) throws BootException {
    long start = System.nanoTime();
    try {
      StepOutcome<T> outcome = step.run();
      report(new StepResult(name, outcome.status(), since(start), outcome.detail()));
      return outcome.value();
    } catch (BootException | RuntimeException e) {
      report(new StepResult(name, StepStatus.FAILED, since(start), e.getMessage()));
      throw e;
    }
  }

  public void skip(StepName name, String reason) {
    report(new StepResult(name, StepStatus.SKIPPED, Duration.ZERO, reason));
  }

  public List<StepResult> results() {
    return List.copyOf(results);
  }

  private void report(StepResult result) {
    results.add(result);
    progress.finished(result);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
