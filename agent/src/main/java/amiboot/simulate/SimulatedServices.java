package amiboot.simulate;

import amiboot.boot.ProductionServices;
import amiboot.boot.Services;
import amiboot.deploy.SourceRepository;
import amiboot.deploy.SourceSpec;
import amiboot.health.HealthProbe;
import amiboot.lb.LoadBalancer;
import amiboot.metadata.ImdsInstanceMetadata;
import amiboot.metadata.InstanceMetadata;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Sleeper;
import amiboot.process.CommandRunner;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The real systems, except the two only EC2 has: the metadata service is the in-process stand-in,
 * and the load balancer is recorded, not called, unless an ELB endpoint is configured
 * (AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING or AWS_ENDPOINT_URL, as the SDK reads them).
 */
public final class SimulatedServices implements Services {
  private final Services real = new ProductionServices();
  private final URI metadataEndpoint;
  private final Function<String, LoadBalancer> loadBalancers;

  /** The load balancers of a region: the real API (at the configured endpoint) or recorded to {@code out}. */
  public SimulatedServices(URI metadataEndpoint, boolean callLoadBalancer, PrintStream out) {
    this.metadataEndpoint = metadataEndpoint;
    LoadBalancer recorded = new RecordedLoadBalancer(out);
    this.loadBalancers = callLoadBalancer ? real::loadBalancer : region -> recorded;
  }

  /** The load balancers of a region from {@code loadBalancers}. */
  public SimulatedServices(URI metadataEndpoint, Function<String, LoadBalancer> loadBalancers) {
    this.metadataEndpoint = metadataEndpoint;
    this.loadBalancers = loadBalancers;
  }

  /** Whether the SDK would find an ELB endpoint of its own: then simulate calls it. */
  public static boolean elbEndpointConfigured() {
    return System.getenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING") != null || System.getenv("AWS_ENDPOINT_URL") != null
        || System.getProperty("aws.endpointUrlElasticLoadBalancing") != null || System.getProperty("aws.endpointUrl") != null;
  }

  @Override
  public InstanceMetadata metadata(Duration budget) {
    return ImdsInstanceMetadata.at(metadataEndpoint, budget);
  }

  @Override
  public LoadBalancer loadBalancer(String region) {
    return loadBalancers.apply(region);
  }

  @Override
  public SourceRepository source(SourceSpec spec, Path repoCache) throws BootException {
    return real.source(spec, repoCache);
  }

  @Override
  public HealthProbe healthProbe() {
    return real.healthProbe();
  }

  @Override
  public CommandRunner commands() {
    return real.commands();
  }

  @Override
  public Clock clock() {
    return real.clock();
  }

  @Override
  public Sleeper sleeper() {
    return real.sleeper();
  }
}
