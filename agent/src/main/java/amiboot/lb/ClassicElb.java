package amiboot.lb;

import amiboot.pipeline.BootException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClientBuilder;
import software.amazon.awssdk.services.elasticloadbalancing.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancing.model.Instance;
import software.amazon.awssdk.services.elasticloadbalancing.model.InstanceState;

/**
 * Classic Elastic Load Balancing through the SDK: the URL-connection HTTP client, the default
 * credential chain, the region from the metadata service, and the endpoint from the SDK's settings
 * ({@code AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING} / {@code AWS_ENDPOINT_URL}).
 */
public final class ClassicElb implements LoadBalancer, AutoCloseable {
  private final SdkHttpClient http;
  private final ElasticLoadBalancingClient client;
  private final String region;

  private ClassicElb(String region, ElasticLoadBalancingClientBuilder builder) {
    this.region = region;
    this.http = UrlConnectionHttpClient.create();
    this.client = builder.region(Region.of(region)).httpClient(http).build();
  }

  /**
   * The load balancers of {@code region}, endpoint and credentials from the SDK's settings. Built
   * only when a step needs it: the SDK client costs ~100-300 ms to set up.
   */
  public static ClassicElb inRegion(String region) {
    return new ClassicElb(region, ElasticLoadBalancingClient.builder());
  }

  /** A load balancer API at an explicit endpoint (a stand-in), with given credentials. */
  public static ClassicElb at(String region, URI endpoint, AwsCredentialsProvider credentials) {
    return new ClassicElb(region, ElasticLoadBalancingClient.builder().endpointOverride(endpoint).credentialsProvider(credentials));
  }

  @Override
  public void register(String loadBalancer, String instanceId) throws BootException {
    call(loadBalancer, "register " + instanceId, () ->
        client.registerInstancesWithLoadBalancer(r -> r.loadBalancerName(loadBalancer).instances(instance(instanceId))));
  }

  @Override
  public void deregister(String loadBalancer, String instanceId) throws BootException {
    call(loadBalancer, "deregister " + instanceId, () ->
        client.deregisterInstancesFromLoadBalancer(r -> r.loadBalancerName(loadBalancer).instances(instance(instanceId))));
  }

  @Override
  public LoadBalancer.HealthState state(String loadBalancer, String instanceId) throws BootException {
    var response = call(loadBalancer, "describe the health of " + instanceId, () ->
        client.describeInstanceHealth(r -> r.loadBalancerName(loadBalancer).instances(instance(instanceId))));
    return response.instanceStates().stream()
        .filter(s -> instanceId.equals(s.instanceId()))
        .findFirst()
        .map(ClassicElb::toState)
        .orElse(new LoadBalancer.HealthState("Unknown", "not listed by the load balancer"));
  }

  private static LoadBalancer.HealthState toState(InstanceState s) {
    return new LoadBalancer.HealthState(s.state(), s.description() == null ? "" : s.description());
  }

  private static Instance instance(String instanceId) {
    return Instance.builder().instanceId(instanceId).build();
  }

  private <T> T call(String loadBalancer, String what, java.util.function.Supplier<T> request) throws BootException {
    try {
      return request.get();
    } catch (LoadBalancerNotFoundException e) {
      throw new UnavailableException("load balancer '" + loadBalancer + "' not found in " + region
          + ": check its name in load_balancer.classic and the region");
    } catch (SdkException e) {
      throw new UnavailableException("load balancer '" + loadBalancer + "' (" + region + "): could not " + what
          + ": " + Messages.oneLine(e.getMessage()) + "; check credentials (instance profile) and AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING");
    }
  }

  @Override
  public void close() {
    client.close();
    http.close();
  }
}
