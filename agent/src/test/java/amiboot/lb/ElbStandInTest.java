package amiboot.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancing.model.DeregisterInstancesFromLoadBalancerResponse;
import software.amazon.awssdk.services.elasticloadbalancing.model.Instance;
import software.amazon.awssdk.services.elasticloadbalancing.model.InstanceState;
import software.amazon.awssdk.services.elasticloadbalancing.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancing.model.RegisterInstancesWithLoadBalancerResponse;

/**
 * Proves the stand-in speaks the classic ELB Query API as the real AWS SDK v2 client sends and
 * parses it, over real HTTP, so the agent's own tests against it mean something.
 */
class ElbStandInTest {

  private static final String LB = "smallpayroll-http";
  private static final String INSTANCE = "i-0123";

  private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ElbStandIn standIn;
  private SdkHttpClient http;
  private ElasticLoadBalancingClient elb;

  @BeforeEach
  void start() throws IOException {
    standIn = ElbStandIn.start(LB, "smallpayroll-admin");
    http = UrlConnectionHttpClient.create();
    elb = ElasticLoadBalancingClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(standIn.endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(http)
        .build();
  }

  @AfterEach
  void stop() {
    elb.close();
    // The SDK does not close an HTTP client it was given.
    http.close();
    standIn.close();
  }

  @Test
  void registerAddsTheInstanceAndTheAnswerListsIt() {
    RegisterInstancesWithLoadBalancerResponse response = elb.registerInstancesWithLoadBalancer(
        r -> r.loadBalancerName(LB).instances(instance(INSTANCE)));

    assertEquals(List.of(INSTANCE), instanceIds(response.instances()));
    assertEquals(Set.of(INSTANCE), standIn.members(LB));
    assertEquals(Set.of(), standIn.members("smallpayroll-admin"));
    assertEquals(List.of("RegisterInstancesWithLoadBalancer smallpayroll-http i-0123"),
        standIn.calls());
    assertTrue(response.responseMetadata().requestId().matches("[0-9a-f-]{36}"),
        "request id parsed from the answer");
  }

  @Test
  void deregisterRemovesTheInstanceAndTheAnswerListsTheRest() {
    elb.registerInstancesWithLoadBalancer(r -> r.loadBalancerName(LB)
        .instances(instance(INSTANCE), instance("i-0456")));

    DeregisterInstancesFromLoadBalancerResponse response = elb.deregisterInstancesFromLoadBalancer(
        r -> r.loadBalancerName(LB).instances(instance(INSTANCE)));

    assertEquals(List.of("i-0456"), instanceIds(response.instances()));
    assertEquals(Set.of("i-0456"), standIn.members(LB));
    assertEquals(List.of(
            "RegisterInstancesWithLoadBalancer smallpayroll-http i-0123 i-0456",
            "DeregisterInstancesFromLoadBalancer smallpayroll-http i-0123"),
        standIn.calls());
  }

  @Test
  void healthIsOutOfServiceForTheConfiguredPollsThenInService() {
    standIn.outOfServiceForPolls(1);
    elb.registerInstancesWithLoadBalancer(
        r -> r.loadBalancerName(LB).instances(instance(INSTANCE)));

    InstanceState first = onlyState(LB, INSTANCE);
    InstanceState second = onlyState(LB, INSTANCE);

    assertEquals(INSTANCE, first.instanceId());
    assertEquals("OutOfService", first.state());
    assertEquals("Instance", first.reasonCode());
    assertEquals("InService", second.state());
    assertEquals("N/A", second.reasonCode());
    assertEquals("DescribeInstanceHealth smallpayroll-http i-0123", standIn.calls().get(2));
  }

  @Test
  void anInstanceThatIsNotRegisteredIsOutOfService() {
    InstanceState state = onlyState(LB, "i-0999");

    assertEquals("OutOfService", state.state());
    assertEquals("Instance", state.reasonCode());
    assertEquals("Instance is not currently registered with the LoadBalancer.", state.description());
  }

  @Test
  void anUnknownLoadBalancerIsLoadBalancerNotFoundException() {
    // SDK v2 has no AccessPointNotFoundException: the code LoadBalancerNotFound maps to
    // LoadBalancerNotFoundException.
    LoadBalancerNotFoundException thrown = assertThrows(LoadBalancerNotFoundException.class,
        () -> elb.registerInstancesWithLoadBalancer(
            r -> r.loadBalancerName("no-such-lb").instances(instance(INSTANCE))));

    assertEquals(400, thrown.statusCode());
    assertEquals("LoadBalancerNotFound", thrown.awsErrorDetails().errorCode());
    assertEquals("There is no ACTIVE Load Balancer named 'no-such-lb'",
        thrown.awsErrorDetails().errorMessage());
    // Recorded once: the SDK does not retry a client error.
    assertEquals(List.of("RegisterInstancesWithLoadBalancer no-such-lb i-0123"), standIn.calls());
  }

  @Test
  void aPostWithoutAuthorizationIs403AndStillRecorded() throws Exception {
    HttpResponse<String> response = raw.send(
        formPost("Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01"
            + "&LoadBalancerName=smallpayroll-http&Instances.member.1.InstanceId=i-0123").build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(403, response.statusCode());
    assertTrue(response.body().contains("<Code>MissingAuthenticationToken</Code>"), response.body());
    assertEquals(Optional.of("text/xml"), response.headers().firstValue("Content-Type"));
    assertEquals(Set.of(), standIn.members(LB));
    assertEquals(List.of("RegisterInstancesWithLoadBalancer smallpayroll-http i-0123"),
        standIn.calls());
  }

  @Test
  void anUnknownActionIs400InvalidAction() throws Exception {
    HttpResponse<String> response = raw.send(
        formPost("Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=smallpayroll-http")
            .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/"
                + "elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00")
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("<Code>InvalidAction</Code>"), response.body());
    assertEquals(List.of("DeleteLoadBalancer smallpayroll-http"), standIn.calls());
  }

  private InstanceState onlyState(String loadBalancer, String instanceId) {
    List<InstanceState> states = elb.describeInstanceHealth(
        r -> r.loadBalancerName(loadBalancer).instances(instance(instanceId)))
        .instanceStates();
    assertEquals(1, states.size(), states::toString);
    return states.get(0);
  }

  private static Instance instance(String instanceId) {
    return Instance.builder().instanceId(instanceId).build();
  }

  private static List<String> instanceIds(List<Instance> instances) {
    return instances.stream().map(Instance::instanceId).toList();
  }

  private HttpRequest.Builder formPost(String body) {
    return HttpRequest.newBuilder(standIn.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
