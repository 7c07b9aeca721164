package amiboot.config;

import java.time.Duration;
import java.util.List;

/** The classic ELBs a role registers with, and whether to wait until they say InService. */
public record LoadBalancerConfig(List<Template> classic, boolean waitInService, Duration inServiceTimeout, Duration drain) {
  public static final Duration DEFAULT_IN_SERVICE_TIMEOUT = Duration.ofMinutes(5);
  /** Time for requests in flight after deregistering, before the processes are stopped (a redeploy, a stop). */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  public LoadBalancerConfig {
    classic = List.copyOf(classic);
  }
}
