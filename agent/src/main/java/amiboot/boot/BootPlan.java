package amiboot.boot;

import amiboot.config.SharedConfig;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.SourceSpec;
import amiboot.hosts.HostsEntry;
import amiboot.metadata.InstanceIdentity;
import amiboot.process.WorkerCount;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one boot will do, fully resolved (user-data and metadata applied, every value
 * checked) before the first change: {@code plan} prints it, {@code boot} carries it out.
 */
public record BootPlan(
    InstanceIdentity instance,
    String role,
    Optional<String> user,
    Path hostsFile,
    List<HostsEntry> hosts,
    ReleaseLayout layout,
    String releaseId,
    SharedConfig shared,
    int keepReleases,
    SourceSpec source,
    List<String> start,
    List<String> stop,
    Map<String, String> env,
    Duration startTimeout,
    Optional<WorkerCount> workers,
    Optional<Health> health,
    Optional<LoadBalancers> loadBalancers,
    Optional<Supervised> supervised) {

  public BootPlan {
    hosts = List.copyOf(hosts);
    start = List.copyOf(start);
    stop = List.copyOf(stop);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** A foreground run: command, run in {@code count} numbered copies that amiboot start supervises. */
  public record Supervised(List<String> run, int count, Duration stopTimeout, int port) {
    public Supervised {
      run = List.copyOf(run);
    }
  }

  /** The health check to wait for. */
  public record Health(URI url, Optional<String> expect, Duration timeout) {}

  /** The classic load balancers to register with, and how long requests in flight get after deregistering. */
  public record LoadBalancers(List<String> classic, boolean waitInService, Duration inServiceTimeout, Duration drain) {
    public LoadBalancers {
      classic = List.copyOf(classic);
    }
  }

  /** Something to stop: a stop command, or supervised workers. */
  public boolean stops() {
    return !stop.isEmpty() || supervised.isPresent();
  }

  /** Something to start: a start command, or supervised workers. */
  public boolean starts() {
    return !start.isEmpty() || supervised.isPresent();
  }

  public Path releaseDir() {
    return layout.release(releaseId);
  }
}
