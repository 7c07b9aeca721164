package amiboot.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.pipeline.Sleeper;
import amiboot.pipeline.UnavailableException;
import amiboot.simulate.ImdsStandIn;
import amiboot.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ImdsInstanceMetadata (the SDK's Ec2MetadataClient, IMDSv2) against the IMDS stand-in over HTTP. */
class ImdsInstanceMetadataTest {

  private static final ImdsStandIn.Instance PAYROLL = new ImdsStandIn.Instance(
      "i-0abc1234def567890", "m1.large", "us-west-2b", "us-west-2", "10.126.17.20",
      Optional.of(RawUserData.utf8("DB=10.126.17.1;ROLE=app\n")));

  private ImdsStandIn imds;

  @AfterEach
  void stop() {
    if (imds != null) {
      imds.close();
    }
  }

  @Test
  void read_identityAndUserData() throws Exception {
    imds = ImdsStandIn.start(PAYROLL);

    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(imds.endpoint(), Duration.ofSeconds(5))) {
      snapshot = metadata.read();
    }

    assertEquals(new InstanceIdentity("i-0abc1234def567890", "m1.large", "us-west-2b", "us-west-2", "10.126.17.20"),
        snapshot.identity());
    assertEquals(Optional.of(RawUserData.utf8("DB=10.126.17.1;ROLE=app\n")), snapshot.userData());
    assertTrue(imds.tokenRequests() >= 1, "IMDSv2: a session token was asked for");
    assertEquals(0, imds.requestsWithoutToken(), "no GET went without a token");
  }

  @Test
  void read_noUserData_empty() throws Exception {
    imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null));

    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(imds.endpoint(), Duration.ofSeconds(5))) {
      snapshot = metadata.read();
    }

    assertEquals(Optional.empty(), snapshot.userData());
    assertEquals("m1.small", snapshot.identity().instanceType());
    assertEquals(ImdsStandIn.Instance.DEFAULT_INSTANCE_ID, snapshot.identity().instanceId());
  }

  @Test
  void read_fiveFailuresAtEarlyBoot_retriedWithinBudget() throws Exception {
    imds = ImdsStandIn.start(PAYROLL);
    imds.failNextRequests(5);
    // The real backoff would wait 0.2+0.4+0.8+1.6+3.2 s; record the waits and sleep a tenth of each.
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    Sleeper recording = d -> {
      waits.add(d);
      Thread.sleep(d.toMillis() / 10);
    };

    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata =
        new ImdsInstanceMetadata(Optional.of(imds.endpoint()), Duration.ofSeconds(30), Clock.systemUTC(), recording)) {
      snapshot = metadata.read();
    }

    assertEquals("i-0abc1234def567890", snapshot.identity().instanceId());
    assertEquals("m1.large", snapshot.identity().instanceType());
    assertEquals(Optional.of(RawUserData.utf8("DB=10.126.17.1;ROLE=app\n")), snapshot.userData());
    assertEquals(List.of(200L, 400L, 800L, 1600L, 3200L), waits.stream().map(Duration::toMillis).toList(),
        "one backoff wait per failed request, doubling from 200 ms");
  }

  @Test
  void read_twoFailures_productionFactoryRetries() throws Exception {
    imds = ImdsStandIn.start(PAYROLL);
    imds.failNextRequests(2);

    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(imds.endpoint(), Duration.ofSeconds(30))) {
      snapshot = metadata.read();
    }

    assertEquals("us-west-2b", snapshot.identity().availabilityZone());
  }

  @Test
  void read_nothingListening_unavailableAfterBudget() {
    URI closed = URI.create("http://127.0.0.1:" + Ports.free());

    UnavailableException e = readFailsWithin(closed, Duration.ofSeconds(4));

    assertTrue(e.getMessage().contains("after 1.00s"), e.getMessage());
    assertTrue(e.getMessage().contains(closed.toString()), e.getMessage());
  }

  @Test
  @Timeout(30) // a failure, not a hung build, if the read timeout is lost
  void read_serviceThatAcceptsButNeverAnswers_unavailable_notHungForever() throws Exception {
    // The kernel completes the connections (the backlog); nothing ever reads or answers them.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // One request's read timeout (5 s) outlasts the 1 s budget; without a timeout it would hang.
      readFailsWithin(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofSeconds(15));
    }
  }

  /** A read with a 1 s budget against {@code endpoint}: unreachable, and said so in less than {@code limit}. */
  private static UnavailableException readFailsWithin(URI endpoint, Duration limit) {
    long start = System.nanoTime();
    UnavailableException e;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(endpoint, Duration.ofSeconds(1))) {
      e = assertThrows(UnavailableException.class, metadata::read);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("metadata service unreachable"), e.getMessage());
    assertTrue(took.compareTo(limit) < 0, "took " + took);
    return e;
  }

  @Test
  void read_emptyUserData_isNoUserData_notAnOutage() throws Exception {
    imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", ""));

    long start = System.nanoTime();
    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(imds.endpoint(), Duration.ofSeconds(30))) {
      snapshot = metadata.read();
    }

    assertEquals(Optional.empty(), snapshot.userData());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "not retried");
  }

  @Test
  void read_gzipUserData_arrivesByteForByte() throws Exception {
    // Every byte value, the gzip magic first, and a last byte that trim() would take for white space.
    byte[] bytes = new byte[258];
    bytes[0] = 0x1f;
    bytes[1] = (byte) 0x8b;
    for (int i = 2; i < bytes.length; i++) {
      bytes[i] = (byte) (i - 2);
    }
    bytes[bytes.length - 1] = 0;
    imds = ImdsStandIn.start(PAYROLL.withUserData(new RawUserData(bytes)));

    MetadataSnapshot snapshot;
    try (ImdsInstanceMetadata metadata = ImdsInstanceMetadata.at(imds.endpoint(), Duration.ofSeconds(5))) {
      snapshot = metadata.read();
    }

    assertArrayEquals(bytes, snapshot.userData().orElseThrow().bytes());
    assertEquals("i-0abc1234def567890", snapshot.identity().instanceId(), "the other answers as before");
  }

  @Test
  void read_serviceAnswering500_saysTheLastStatusAndTheBudgetSpent() throws Exception {
    imds = ImdsStandIn.start(PAYROLL);
    imds.failEveryGet(500);

    UnavailableException e = readFailsWithin(imds.endpoint(), Duration.ofSeconds(10));

    assertTrue(e.getMessage().matches("metadata service unreachable \\(" + imds.endpoint() + "\\) after 1\\.00s"
        + " \\(metadata\\.timeout\\), \\d+ attempts at /latest/meta-data/instance-id, the last: HTTP 500: is this an EC2.*"),
        e.getMessage());
  }

  @Test
  void read_tokenRefusedWith503_saysSo() throws Exception {
    imds = ImdsStandIn.start(PAYROLL);
    imds.failNextRequests(Integer.MAX_VALUE);

    UnavailableException e = readFailsWithin(imds.endpoint(), Duration.ofSeconds(10));

    assertTrue(e.getMessage().contains(", the last: HTTP 503 for the session token: "), e.getMessage());
  }

  @Test
  void read_nothingListening_saysTheConnectionWasRefused() {
    UnavailableException e = readFailsWithin(URI.create("http://127.0.0.1:" + Ports.free()), Duration.ofSeconds(4));

    assertTrue(e.getMessage().contains(", the last: Connection refused"), e.getMessage());
  }
}
