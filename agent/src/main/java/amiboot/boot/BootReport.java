package amiboot.boot;

import java.time.Duration;
import java.util.Optional;

/**
 * A run that ended with the role in service: the release serving and its revision; for a boot
 * that could not reach the repository or write a new release, why it serves the release already
 * on the box ({@code degraded}); and for a boot whose state_dir had no room for state.json, why
 * nothing records the run ({@code unrecorded}: only the console can say it).
 */
public record BootReport(BootPlan plan, String releaseId, String revision, Optional<String> degraded, Duration took,
    Optional<String> unrecorded) {

  public BootReport(BootPlan plan, String releaseId, String revision, Optional<String> degraded, Duration took) {
    this(plan, releaseId, revision, degraded, took, Optional.empty());
  }

  /** The same run, degraded too, since state.json could not be written. */
  BootReport unrecorded(String why) {
    String reason = degraded.map(d -> d + "; ").orElse("") + why;
    return new BootReport(plan, releaseId, revision, Optional.of(reason), took, Optional.of(why));
  }
}
