package amiboot.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One role (app, job, ...): how to start and stop it (commands that daemonize, or a foreground
 * {@code run:} command amiboot supervises), how many workers, health, load balancers.
 */
public record RoleConfig(
    String name,
    List<Template> start,
    List<Template> stop,
    Map<String, Template> env,
    Duration startTimeout,
    Optional<WorkersConfig> workers,
    Optional<HealthConfig> health,
    Optional<LoadBalancerConfig> loadBalancer,
    Foreground foreground) {

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

  public RoleConfig {
    start = List.copyOf(start);
    stop = List.copyOf(stop);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }
}
