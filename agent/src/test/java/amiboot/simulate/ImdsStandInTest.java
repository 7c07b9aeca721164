package amiboot.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataClientException;

/**
 * Proves the stand-in speaks IMDSv2 as the real AWS SDK client expects it, over real HTTP, so the
 * agent's own tests against it mean something.
 */
class ImdsStandInTest {

  private static final String USER_DATA = "#!/bin/bash\necho 'héllo from user-data'\n";

  // HTTP/1.1 only: the default would offer an h2c upgrade the real service never sees.
  private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void sdkClientReadsMetadataAndUserDataWithOneToken() throws IOException {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", USER_DATA));
        SdkHttpClient http = UrlConnectionHttpClient.create();
        Ec2MetadataClient sdk = sdkClient(standIn, http)) {

      assertEquals("i-0123456789abcdef0", sdk.get("/latest/meta-data/instance-id").asString());
      assertEquals("m1.small", sdk.get("/latest/meta-data/instance-type").asString());
      assertEquals("us-east-1", sdk.get("/latest/meta-data/placement/region").asString());
      assertEquals("us-east-1a",
          sdk.get("/latest/meta-data/placement/availability-zone").asString());
      assertEquals("10.0.0.10", sdk.get("/latest/meta-data/local-ipv4").asString());
      assertEquals(USER_DATA, sdk.get("/latest/user-data").asString(), "UTF-8 round trip");

      // The SDK caches its token for the TTL it asked for, so six reads cost one PUT.
      assertEquals(1, standIn.tokenRequests());
      assertEquals(0, standIn.requestsWithoutToken());
    }
  }

  @Test
  void sdkClientSees404WhenThereIsNoUserData() throws IOException {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null));
        SdkHttpClient http = UrlConnectionHttpClient.create();
        Ec2MetadataClient sdk = sdkClient(standIn, http)) {

      Ec2MetadataClientException thrown =
          assertThrows(Ec2MetadataClientException.class, () -> sdk.get("/latest/user-data"));
      assertEquals(404, thrown.statusCode());
    }
  }

  @Test
  void sdkClientRidesOutAServiceThatIsNotUpYet() throws IOException {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("c5.large", null));
        SdkHttpClient http = UrlConnectionHttpClient.create();
        Ec2MetadataClient sdk = sdkClient(standIn, http)) {
      standIn.failNextRequests(2);

      // The SDK retries 5xx on its own (3 retries by default), as it must at early boot.
      assertEquals("c5.large", sdk.get("/latest/meta-data/instance-type").asString());
      assertEquals(1, standIn.tokenRequests());
    }
  }

  @Test
  void getWithoutAValidTokenIs401AndCounted() throws Exception {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      HttpResponse<String> noToken = raw.send(
          get(standIn, "/latest/meta-data/instance-id").build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> madeUpToken = raw.send(
          get(standIn, "/latest/meta-data/instance-id")
              .header(ImdsStandIn.TOKEN_HEADER, "not-a-token").build(),
          HttpResponse.BodyHandlers.ofString());

      assertEquals(401, noToken.statusCode());
      assertEquals(401, madeUpToken.statusCode());
      assertEquals(2, standIn.requestsWithoutToken());
    }
  }

  @Test
  void issuedTokenOpensGetsAndTtlIsEchoed() throws Exception {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      HttpResponse<String> token = raw.send(tokenPut(standIn, "60").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, token.statusCode());
      assertEquals(Optional.of("60"), token.headers().firstValue(ImdsStandIn.TTL_HEADER));
      assertTrue(token.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

      HttpResponse<String> id = raw.send(
          get(standIn, "/latest/meta-data/instance-id")
              .header(ImdsStandIn.TOKEN_HEADER, token.body()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, id.statusCode());
      assertEquals("i-0123456789abcdef0", id.body());
      assertEquals(Optional.of("19"), id.headers().firstValue("Content-Length"));

      HttpResponse<String> unknown = raw.send(
          get(standIn, "/latest/meta-data/iam/security-credentials/")
              .header(ImdsStandIn.TOKEN_HEADER, token.body()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, unknown.statusCode());
    }
  }

  @Test
  void tokenPutIsRefusedWithoutAValidTtlOrThroughAProxy() throws Exception {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      HttpRequest noTtl = HttpRequest.newBuilder(standIn.endpoint().resolve("/latest/api/token"))
          .PUT(HttpRequest.BodyPublishers.noBody()).build();
      assertEquals(400, status(noTtl));
      assertEquals(400, status(tokenPut(standIn, "0").build()));
      assertEquals(400, status(tokenPut(standIn, "21601").build()));
      assertEquals(400, status(tokenPut(standIn, "ten").build()));
      assertEquals(403, status(tokenPut(standIn, "60").header("X-Forwarded-For", "10.1.2.3").build()));
      assertEquals(0, standIn.tokenRequests());

      assertEquals(200, status(tokenPut(standIn, "21600").build()));
      assertEquals(1, standIn.tokenRequests());
    }
  }

  @Test
  void concurrentRequestsAreAllServedAndCounted() throws Exception {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        inFlight.add(raw.sendAsync(tokenPut(standIn, "60").build(),
            HttpResponse.BodyHandlers.discarding()));
        inFlight.add(raw.sendAsync(get(standIn, "/latest/meta-data/instance-id").build(),
            HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> response : inFlight) {
        int status = response.get(30, TimeUnit.SECONDS).statusCode();
        assertTrue(status == 200 || status == 401, "status " + status);
      }
      assertEquals(20, standIn.tokenRequests());
      assertEquals(20, standIn.requestsWithoutToken());
    }
  }

  @Test
  void failNextRequestsAnswers503ThatManyTimesWhateverThePath() throws Exception {
    try (ImdsStandIn standIn = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      standIn.failNextRequests(2);

      assertEquals(503, status(tokenPut(standIn, "60").build()));
      assertEquals(503, status(get(standIn, "/latest/meta-data/instance-id").build()));
      assertEquals(200, status(tokenPut(standIn, "60").build()));
      assertEquals(1, standIn.tokenRequests());
      assertEquals(0, standIn.requestsWithoutToken(), "a 503 is not a refusal for lack of token");
    }
  }

  @Test
  void mainPrintsItsEndpointAndServesUntilKilled() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(
            java.toString(), "-cp", System.getProperty("java.class.path"),
            ImdsStandIn.class.getName(), "--instance-type", "t3.micro", "--region", "eu-west-1")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = assertTimeoutPreemptively(Duration.ofSeconds(30), out::readLine);
      assertTrue(line != null && line.matches("endpoint http://127\\.0\\.0\\.1:\\d+"), line);
      URI endpoint = URI.create(line.substring("endpoint ".length()));

      try (SdkHttpClient http = UrlConnectionHttpClient.create();
          Ec2MetadataClient sdk = Ec2MetadataClient.builder().endpoint(endpoint).httpClient(http).build()) {
        assertEquals("t3.micro", sdk.get("/latest/meta-data/instance-type").asString());
        assertEquals("eu-west-1", sdk.get("/latest/meta-data/placement/region").asString());
      }

      // SIGTERM through the handle: Process.destroy() would also close our end of stdout.
      child.toHandle().destroy();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "stand-in did not stop when killed");
      assertNull(out.readLine(), "only the endpoint line goes to stdout");
    } finally {
      child.destroyForcibly();
    }
  }

  private static Ec2MetadataClient sdkClient(ImdsStandIn standIn, SdkHttpClient http) {
    return Ec2MetadataClient.builder().endpoint(standIn.endpoint()).httpClient(http).build();
  }

  private static HttpRequest.Builder get(ImdsStandIn standIn, String path) {
    return HttpRequest.newBuilder(standIn.endpoint().resolve(path)).GET();
  }

  private static HttpRequest.Builder tokenPut(ImdsStandIn standIn, String ttl) {
    return HttpRequest.newBuilder(standIn.endpoint().resolve("/latest/api/token"))
        .header(ImdsStandIn.TTL_HEADER, ttl)
        .PUT(HttpRequest.BodyPublishers.noBody());
  }

  private int status(HttpRequest request) throws IOException, InterruptedException {
    return raw.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
