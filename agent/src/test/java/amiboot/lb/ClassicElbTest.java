package amiboot.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.Sleeper;
import amiboot.pipeline.UnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** ClassicElb (the SDK's real ElasticLoadBalancingClient) + Registration against the ELB stand-in over HTTP. */
class ClassicElbTest {

  private static final String HTTP_LB = "smallpayroll-http";
  private static final String ADMIN_LB = "smallpayroll-admin";
  private static final String INSTANCE = "i-0123456789abcdef0";

  private ElbStandIn elb;
  private ClassicElb client;
  private Registration registration;

  @BeforeEach
  void start() throws IOException {
    elb = ElbStandIn.start(HTTP_LB, ADMIN_LB);
    client = ClassicElb.at("us-east-1", elb.endpoint(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    registration = new Registration(client, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  @AfterEach
  void stop() {
    client.close();
    elb.close();
  }

  @Test
  void register_twoLoadBalancers_bothListTheInstance() throws Exception {
    String summary = registration.register(List.of(HTTP_LB, ADMIN_LB), INSTANCE, false, Duration.ofSeconds(5));

    assertEquals(Set.of(INSTANCE), elb.members(HTTP_LB));
    assertEquals(Set.of(INSTANCE), elb.members(ADMIN_LB));
    assertEquals(INSTANCE + " registered with " + HTTP_LB + ", " + ADMIN_LB, summary);
    assertFalse(elb.calls().stream().anyMatch(c -> c.startsWith("DescribeInstanceHealth")), "no waiting asked for");
  }

  @Test
  void register_waitInService_succeedsAfterWarmUpPolls() throws Exception {
    elb.outOfServiceForPolls(2);

    String summary = registration.register(List.of(HTTP_LB), INSTANCE, true, Duration.ofSeconds(10));

    assertTrue(summary.endsWith(", InService"), summary);
    assertEquals(Set.of(INSTANCE), elb.members(HTTP_LB));
    List<String> polls = elb.calls().stream().filter(c -> c.startsWith("DescribeInstanceHealth")).toList();
    assertEquals(List.of(
        "DescribeInstanceHealth " + HTTP_LB + " " + INSTANCE,
        "DescribeInstanceHealth " + HTTP_LB + " " + INSTANCE,
        "DescribeInstanceHealth " + HTTP_LB + " " + INSTANCE), polls, "two OutOfService polls, then InService");
    assertEquals("RegisterInstancesWithLoadBalancer " + HTTP_LB + " " + INSTANCE, elb.calls().get(0));
  }

  @Test
  void register_neverInService_appFailedNamingLoadBalancer() throws Exception {
    elb.outOfServiceForPolls(1000);

    long start = System.nanoTime();
    AppFailedException e = assertThrows(AppFailedException.class,
        () -> registration.register(List.of(HTTP_LB), INSTANCE, true, Duration.ofSeconds(2)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(e.getMessage().contains("'" + HTTP_LB + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("not InService"), e.getMessage());
    assertTrue(e.getMessage().contains("after 2.00s"), e.getMessage());
    assertTrue(e.getMessage().contains("OutOfService"), e.getMessage());
    assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
    assertEquals(Set.of(), elb.members(HTTP_LB), "a failed registration is undone: no traffic to an unhealthy instance");
    assertTrue(e.getMessage().contains("deregistered from " + HTTP_LB), e.getMessage());
  }

  @Test
  void register_unknownLoadBalancer_unavailableNamingIt() {
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> registration.register(List.of("nope"), INSTANCE, false, Duration.ofSeconds(5)));

    assertTrue(e.getMessage().contains("'nope' not found in us-east-1"), e.getMessage());
    assertEquals(List.of("RegisterInstancesWithLoadBalancer nope " + INSTANCE), elb.calls(), "not retried as if transient");
  }

  @Test
  void deregister_removesTheMember() throws Exception {
    registration.register(List.of(HTTP_LB, ADMIN_LB), INSTANCE, false, Duration.ofSeconds(5));

    client.deregister(HTTP_LB, INSTANCE);

    assertEquals(Set.of(), elb.members(HTTP_LB));
    assertEquals(Set.of(INSTANCE), elb.members(ADMIN_LB), "only the named load balancer");
    LoadBalancer.HealthState state = client.state(HTTP_LB, INSTANCE);
    assertFalse(state.inService());
    assertEquals("OutOfService", state.state());
  }

  @Test
  void deregisterAll_leavesEveryLoadBalancer() throws Exception {
    registration.register(List.of(HTTP_LB, ADMIN_LB), INSTANCE, false, Duration.ofSeconds(5));

    String summary = registration.deregister(List.of(HTTP_LB, ADMIN_LB), INSTANCE);

    assertEquals(Set.of(), elb.members(HTTP_LB));
    assertEquals(Set.of(), elb.members(ADMIN_LB));
    assertEquals(INSTANCE + " deregistered from " + HTTP_LB + ", " + ADMIN_LB, summary);
  }

  @Test
  void deregisterAll_oneMissing_registersAgainWithTheOthers_soTheInstanceKeepsServing() throws Exception {
    registration.register(List.of(HTTP_LB), INSTANCE, false, Duration.ofSeconds(5));

    UnavailableException e = assertThrows(UnavailableException.class,
        () -> registration.deregister(List.of(HTTP_LB, "smallpayroll-gone"), INSTANCE));

    assertTrue(e.getMessage().contains("smallpayroll-gone"), e.getMessage());
    assertTrue(e.getMessage().contains("registered again with " + HTTP_LB), e.getMessage());
    assertEquals(Set.of(INSTANCE), elb.members(HTTP_LB));
  }

  @Test
  void state_registeredAndWarm_inService() throws Exception {
    client.register(HTTP_LB, INSTANCE);

    LoadBalancer.HealthState state = client.state(HTTP_LB, INSTANCE);

    assertTrue(state.inService(), state.toString());
  }
}
