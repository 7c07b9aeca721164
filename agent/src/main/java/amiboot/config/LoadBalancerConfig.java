package amiboot.config;

import java.time.Duration;
import java.util.List;

/** The classic ELBs a role registers with, and whether to wait until they say InService. */
public record LoadBalancerConfig(List<Template> classic, boolean waitInService, Duration inServiceTimeout) {
  public static final Duration DEFAULT_IN_SERVICE_TIMEOUT = Duration.ofMinutes(5);

  public LoadBalancerConfig {
    classic = List.copyOf(classic);
  }
}
