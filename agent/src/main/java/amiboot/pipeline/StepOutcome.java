package amiboot.pipeline;

/** The value a step hands to the next ones, with how it ended and a one-line detail. */
public record StepOutcome<T>(T value, StepStatus status, String detail) {
  public static <T> StepOutcome<T> ok(T value, String detail) {
    return new StepOutcome<>(value, StepStatus.OK, detail);
  }

  public static <T> StepOutcome<T> unchanged(T value, String detail) {
    return new StepOutcome<>(value, StepStatus.UNCHANGED, detail);
  }
}
