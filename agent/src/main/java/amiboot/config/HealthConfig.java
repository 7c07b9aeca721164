package amiboot.config;

import java.time.Duration;
import java.util.Optional;

/** GET {@code url} until a 2xx whose body contains {@code expect} (any case), within {@code timeout}. */
public record HealthConfig(Template url, Optional<String> expect, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
}
