package amiboot.pipeline;

import java.util.Locale;

/** How a step ended. */
public enum StepStatus {
  /** Did its work and changed something. */
  OK,
  /** Ran and found nothing to change (an idempotent re-run). */
  UNCHANGED,
  /** Not needed for this role or config; the detail says why. */
  SKIPPED,
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
