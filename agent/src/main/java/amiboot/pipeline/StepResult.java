package amiboot.pipeline;

import java.time.Duration;
import java.util.Objects;

/** What one step did and how long it took. */
public record StepResult(StepName step, StepStatus status, Duration duration, String detail) {
  public StepResult {
    Objects.requireNonNull(step);
    Objects.requireNonNull(status);
    Objects.requireNonNull(duration);
    detail = detail == null ? "" : detail;
  }
}
