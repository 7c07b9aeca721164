package amiboot.boot;

import java.time.Duration;
import java.util.Optional;

/**
 * A run that ended with the role in service: the release serving and its revision, and for a
 * boot that could not reach the repository, why it serves the release already on the box.
 */
public record BootReport(BootPlan plan, String releaseId, String revision, Optional<String> degraded, Duration took) {}
