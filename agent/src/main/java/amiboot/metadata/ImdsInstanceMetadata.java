package amiboot.metadata;

import amiboot.config.DurationText;
import amiboot.pipeline.Messages;
import amiboot.pipeline.PollBudget;
import amiboot.pipeline.Retry;
import amiboot.pipeline.BootException;
import amiboot.pipeline.UnavailableException;
import amiboot.pipeline.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataClientException;
import software.amazon.awssdk.imds.Ec2MetadataRetryPolicy;

/**
 * IMDSv2 through the SDK's {@link Ec2MetadataClient} (session token, endpoint from
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} or the SDK's other settings). The SDK's own retries
 * (3 quick ones) are too short at boot, when the network may not be up yet: this class retries
 * with backoff until a time budget runs out, as cloud-init does.
 */
public final class ImdsInstanceMetadata implements InstanceMetadata, AutoCloseable {
  private static final String META = "/latest/meta-data/";
  /** How the SDK's messages give a status: of an answer, or of the session token's PUT. */
  private static final Pattern SDK_STATUS = Pattern.compile("returned Http code (\\d+)|Could not retrieve token, (\\d+) error");
  private static final int CONNECT_TIMEOUT_MS = 1_000;
  private static final int READ_TIMEOUT_MS = 5_000;

  private final SdkHttpClient http;
  private final Ec2MetadataClient client;
  private final String endpoint;
  private final Duration budget;
  private final Clock clock;
  private final Sleeper sleeper;

  ImdsInstanceMetadata(Optional<URI> endpoint, Duration budget, Clock clock, Sleeper sleeper) {
    this.http = new UserDataTransport(UrlConnectionHttpClient.create(ImdsInstanceMetadata::openConnection));
    Ec2MetadataClient.Builder builder = Ec2MetadataClient.builder()
        .httpClient(http)
        .retryPolicy(Ec2MetadataRetryPolicy.none());
    endpoint.ifPresent(builder::endpoint);
    this.client = builder.build();
    this.endpoint = endpoint.map(URI::toString).orElseGet(ImdsInstanceMetadata::configuredEndpoint);
    this.budget = budget;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The metadata service the SDK's settings point at, retrying for up to {@code budget}. */
  public static ImdsInstanceMetadata create(Duration budget) {
    return new ImdsInstanceMetadata(Optional.empty(), budget, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** A metadata service at an explicit endpoint (a stand-in). */
  public static ImdsInstanceMetadata at(URI endpoint, Duration budget) {
    return new ImdsInstanceMetadata(Optional.of(endpoint), budget, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  @Override
  public MetadataSnapshot read() throws BootException {
    PollBudget retries = new PollBudget(clock, sleeper, budget, Duration.ofMillis(200), Duration.ofSeconds(5));
    String instanceId = get(META + "instance-id", retries).orElseThrow(() -> missing("instance-id"));
    String type = get(META + "instance-type", retries).orElseThrow(() -> missing("instance-type"));
    String zone = get(META + "placement/availability-zone", retries)
        .orElseThrow(() -> missing("placement/availability-zone"));
    // placement/region is newer than the AZ; derive it from the AZ where it is absent.
    String region = get(META + "placement/region", retries).orElse(zone.replaceAll("[a-z]$", ""));
    String ipv4 = get(META + "local-ipv4", retries).orElse("");
    // Its bytes as they were served (base64 between the SDK and here, so the trim leaves them be).
    Optional<RawUserData> userData = get(UserDataTransport.PATH, retries).map(UserDataTransport::decode);
    return new MetadataSnapshot(new InstanceIdentity(instanceId, type, zone, region, ipv4), userData);
  }

  /** The value at {@code path}, or empty on 404 (no user-data, an older metadata service). */
  private Optional<String> get(String path, PollBudget retries) throws BootException {
    AtomicInteger attempts = new AtomicInteger();
    try {
      return Retry.whileUnavailable(retries, () -> {
        attempts.incrementAndGet();
        return getOnce(path);
      });
    } catch (UnavailableException e) {
      if (!e.worthRetrying()) {
        throw e;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new UnavailableException("interrupted while waiting for the metadata service (" + endpoint + ")");
      }
      throw new UnavailableException("metadata service unreachable (" + endpoint + ") after "
          + DurationText.format(budget) + " (metadata.timeout), " + attempts + (attempts.get() == 1 ? " attempt" : " attempts")
          + " at " + path + ", the last: " + e.getMessage()
          + ": is this an EC2 instance? Off EC2, set AWS_EC2_METADATA_SERVICE_ENDPOINT; at a slow boot, raise metadata.timeout");
    }
  }

  /** One request. A refusal (4xx but 401/404) is permanent; an outage or 401/5xx is worth another try. */
  private Optional<String> getOnce(String path) throws UnavailableException {
    try {
      return Optional.of(client.get(path).asString().trim());
    } catch (Ec2MetadataClientException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      if (e.statusCode() != 401 && e.statusCode() < 500) {
        throw UnavailableException.permanent("metadata service (" + endpoint + ") refused " + path + " with HTTP "
            + e.statusCode() + ": check the instance's metadata options (IMDSv2 enabled, hop limit)");
      }
      throw new UnavailableException("HTTP " + e.statusCode());
    } catch (SdkClientException e) {
      if (isEmptyAnswer(e)) {
        return Optional.empty(); // a 200 with nothing in it: no value (empty user-data), not an outage
      }
      throw new UnavailableException(whatWentWrong(e));
    }
  }

  /**
   * The SDK wraps a 5xx in "Exceeded maximum number of retries. Total retry attempts: 0", which
   * says neither the status nor that amiboot, not the SDK, does the retrying: the status is in a
   * cause's message (the only place the SDK puts it), else the innermost cause says what failed.
   */
  private static String whatWentWrong(SdkClientException e) {
    Throwable innermost = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher status = SDK_STATUS.matcher(String.valueOf(t.getMessage()));
      if (status.find()) {
        return status.group(1) != null ? "HTTP " + status.group(1) : "HTTP " + status.group(2) + " for the session token";
      }
      innermost = t;
    }
    return Messages.oneLine(innermost.getMessage() == null ? innermost.toString() : innermost.getMessage());
  }

  /** The SDK refuses a 200 with an empty body as an error; for amiboot that is an empty value. */
  private static boolean isEmptyAnswer(SdkClientException e) {
    return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("body empty");
  }

  private static UnavailableException missing(String what) {
    return new UnavailableException("metadata service has no " + what + ": is this an EC2 instance?");
  }

  /**
   * A plain connection, straight to the metadata service. Given its own connection factory, the
   * SDK's client skips building an SSLContext over the JDK's trust store, which is most of its
   * ~200 ms cold set-up and is never used: the metadata service speaks plain HTTP on a link-local
   * address. No proxy (an http.proxyHost set for the app must not carry metadata requests). Short
   * timeouts: the budget, not one hung connect, decides how long amiboot waits.
   */
  private static HttpURLConnection openConnection(URI uri) {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      return connection;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String configuredEndpoint() {
    String env = System.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    return env == null || env.isBlank() ? "http://169.254.169.254" : env;
  }

  @Override
  public void close() {
    client.close();
    http.close();
  }
}
