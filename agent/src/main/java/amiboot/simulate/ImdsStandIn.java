package amiboot.simulate;

import amiboot.metadata.RawUserData;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the EC2 instance metadata service, speaking IMDSv2 the way the real one
 * does, so the agent (and the AWS SDK's {@code Ec2MetadataClient}) can be exercised over real HTTP
 * off EC2: in tests, and in the demo script (and, later, a simulate command).
 *
 * <p>It serves one fixed {@link Instance}. Every GET needs a session token from
 * {@code PUT /latest/api/token}; tokens expire after the TTL the client asked for, as on EC2.
 */
public final class ImdsStandIn implements AutoCloseable {

  /** The largest token TTL IMDSv2 accepts: six hours. */
  static final int MAX_TOKEN_TTL_SECONDS = 21_600;

  static final String TOKEN_PATH = "/latest/api/token";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";

  private static final int WORKER_THREADS = 4;

  /** What the stand-in reports about "this" instance. */
  public record Instance(
      String instanceId,
      String instanceType,
      String availabilityZone,
      String region,
      String localIpv4,
      Optional<RawUserData> userData) {

    public static final String DEFAULT_INSTANCE_ID = "i-0123456789abcdef0";
    public static final String DEFAULT_AVAILABILITY_ZONE = "us-east-1a";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_LOCAL_IPV4 = "10.0.0.10";

    public Instance {
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(instanceType, "instanceType");
      Objects.requireNonNull(availabilityZone, "availabilityZone");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(localIpv4, "localIpv4");
      Objects.requireNonNull(userData, "userData");
    }

    /** An instance with the default id, placement and address; {@code userDataOrNull} null means none. */
    public static Instance of(String instanceType, String userDataOrNull) {
      return new Instance(
          DEFAULT_INSTANCE_ID,
          instanceType,
          DEFAULT_AVAILABILITY_ZONE,
          DEFAULT_REGION,
          DEFAULT_LOCAL_IPV4,
          Optional.ofNullable(userDataOrNull).map(RawUserData::utf8));
    }

    /** This instance with {@code userData} as its bytes (gzip-compressed, say). */
    public Instance withUserData(RawUserData userData) {
      return new Instance(instanceId, instanceType, availabilityZone, region, localIpv4, Optional.of(userData));
    }

    /** The metadata paths (below /latest) this instance answers, with their values. */
    Map<String, String> pathsToValues() {
      return Map.of(
          "/latest/meta-data/instance-id", instanceId,
          "/latest/meta-data/instance-type", instanceType,
          "/latest/meta-data/placement/availability-zone", availabilityZone,
          "/latest/meta-data/placement/region", region,
          "/latest/meta-data/local-ipv4", localIpv4);
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final Map<String, String> metadata;
  private final Optional<RawUserData> userData;

  /** Issued token -> System.nanoTime() at which it stops being accepted. */
  private final Map<String, Long> tokenExpiries = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger failuresToInject = new AtomicInteger();
  /** The status every GET fails with; 0 while they are answered. */
  private final AtomicInteger getFailure = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger requestsWithoutToken = new AtomicInteger();

  private ImdsStandIn(Instance instance, HttpServer server, ExecutorService workers) {
    this.metadata = instance.pathsToValues();
    this.userData = instance.userData();
    this.server = server;
    this.workers = workers;
  }

  /** Starts serving {@code instance} on 127.0.0.1 at an ephemeral port. */
  public static ImdsStandIn start(Instance instance) throws IOException {
    return start(instance, 0);
  }

  /** Starts serving {@code instance} on 127.0.0.1:{@code port}; port 0 picks a free one. */
  public static ImdsStandIn start(Instance instance, int port) throws IOException {
    Objects.requireNonNull(instance, "instance");
    // Loopback only: the stand-in hands out "credentials-like" tokens and must not be reachable
    // from elsewhere, just as the real service is link-local only.
    HttpServer server =
        LoopbackHttp.server(port);
    // The SDK and the agent may ask for several paths at once; a small pool keeps a slow client
    // from blocking the others without unbounded threads.
    ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads());
    ImdsStandIn standIn = new ImdsStandIn(instance, server, workers);
    server.createContext("/", standIn::handle);
    server.setExecutor(workers);
    server.start();
    return standIn;
  }

  /** The base URI to give the metadata client, e.g. {@code http://127.0.0.1:49152}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Makes the next {@code n} requests, whatever their path, fail with 503, as at early boot. */
  public void failNextRequests(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    failuresToInject.set(n);
  }

  /** Makes every GET from now on fail with {@code status} (a broken service); tokens are still issued. */
  public void failEveryGet(int status) {
    getFailure.set(status);
  }

  /** How many token PUTs were answered with a token. */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** How many GETs were refused with 401 for a missing, unknown or expired token. */
  public int requestsWithoutToken() {
    return requestsWithoutToken.get();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      drain(exchange.getRequestBody());
      if (takeInjectedFailure()) {
        send(exchange, 503, "");
        return;
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (method.equals("PUT") && path.equals(TOKEN_PATH)) {
        issueToken(exchange);
      } else if (method.equals("GET") && getFailure.get() != 0) {
        send(exchange, getFailure.get(), "");
      } else if (method.equals("GET")) {
        serveMetadata(exchange, path);
      } else {
        send(exchange, 405, "");
      }
    }
  }

  /** Consumes one injected failure, if any are left; never lets the count go below zero. */
  private boolean takeInjectedFailure() {
    return failuresToInject.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
  }

  private void issueToken(HttpExchange exchange) throws IOException {
    // IMDSv2 refuses token requests that went through a proxy, so a misconfigured proxy cannot
    // leak tokens; the SDK never sets this header.
    if (exchange.getRequestHeaders().containsKey("X-Forwarded-For")) {
      send(exchange, 403, "");
      return;
    }
    Optional<Integer> ttl = parseTtl(exchange.getRequestHeaders().getFirst(TTL_HEADER));
    if (ttl.isEmpty()) {
      send(exchange, 400, "");
      return;
    }
    String token = newToken();
    tokenExpiries.put(token, System.nanoTime() + TimeUnit.SECONDS.toNanos(ttl.get()));
    tokenRequests.incrementAndGet();
    // The SDK reads the TTL back from the response to know when to refresh the token; without
    // this header it rejects the token response outright.
    exchange.getResponseHeaders().set(TTL_HEADER, Integer.toString(ttl.get()));
    send(exchange, 200, token);
  }

  private static Optional<Integer> parseTtl(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      int ttl = Integer.parseInt(header.trim());
      return ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS ? Optional.of(ttl) : Optional.empty();
    } catch (NumberFormatException notAnInteger) {
      return Optional.empty();
    }
  }

  private String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void serveMetadata(HttpExchange exchange, String path) throws IOException {
    if (!hasValidToken(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
      requestsWithoutToken.incrementAndGet();
      send(exchange, 401, "");
      return;
    }
    Optional<byte[]> value = path.equals("/latest/user-data")
        ? userData.map(RawUserData::bytes)
        : Optional.ofNullable(metadata.get(path)).map(v -> v.getBytes(StandardCharsets.UTF_8));
    if (value.isPresent()) {
      send(exchange, 200, value.get());
    } else {
      send(exchange, 404, "");
    }
  }

  private boolean hasValidToken(String token) {
    if (token == null) {
      return false;
    }
    Long expiresAt = tokenExpiries.get(token);
    if (expiresAt == null) {
      return false;
    }
    if (System.nanoTime() - expiresAt >= 0) {
      tokenExpiries.remove(token, expiresAt);
      return false;
    }
    return true;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    // -1 tells HttpServer "no body" (it then sends Content-Length: 0); 0 would mean chunked.
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** Reads what the client sent so the connection can be reused for the next request. */
  private static void drain(InputStream body) throws IOException {
    body.transferTo(OutputStream.nullOutputStream());
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "imds-stand-in-" + count.incrementAndGet());
      // Daemon, so a caller that forgets close() does not keep its JVM alive.
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Serves until killed. Prints exactly one line, {@code endpoint http://127.0.0.1:PORT}, so a
   * script can read the port when {@code --port 0} (the default) picked one.
   */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException badArguments) {
      System.err.println("imds stand-in: " + badArguments.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    ImdsStandIn standIn;
    try {
      standIn = start(options.instance(), options.port());
    } catch (IOException cannotBind) {
      System.err.println("imds stand-in: cannot listen on port " + options.port() + ": " + cannotBind);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "imds-stand-in-shutdown"));
    System.out.println("endpoint " + standIn.endpoint());
    System.out.flush();
    awaitForever();
  }

  private static void awaitForever() {
    try {
      // The worker threads are daemons, so main must stay alive for the server to keep serving.
      new CountDownLatch(1).await();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Command-line options of {@link #main}. */
  record Options(int port, Instance instance) {

    static final String USAGE =
        "usage: ImdsStandIn [--port N] [--instance-type T] [--user-data TEXT] [--instance-id ID]"
            + " [--availability-zone AZ] [--region R] [--local-ipv4 IP]";

    static Options parse(String[] args) {
      int port = 0;
      String instanceType = "m1.small";
      String userData = null;
      String instanceId = Instance.DEFAULT_INSTANCE_ID;
      String availabilityZone = Instance.DEFAULT_AVAILABILITY_ZONE;
      String region = Instance.DEFAULT_REGION;
      String localIpv4 = Instance.DEFAULT_LOCAL_IPV4;
      for (int i = 0; i < args.length; i += 2) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args[i + 1];
        switch (name) {
          case "--port" -> port = parsePort(value);
          case "--instance-type" -> instanceType = value;
          case "--user-data" -> userData = value;
          case "--instance-id" -> instanceId = value;
          case "--availability-zone" -> availabilityZone = value;
          case "--region" -> region = value;
          case "--local-ipv4" -> localIpv4 = value;
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return new Options(
          port,
          new Instance(
              instanceId, instanceType, availabilityZone, region, localIpv4,
              Optional.ofNullable(userData).map(RawUserData::utf8)));
    }

    private static int parsePort(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port < 0 || port > 65_535) {
          throw new IllegalArgumentException("--port must be 0..65535: " + value);
        }
        return port;
      } catch (NumberFormatException notANumber) {
        throw new IllegalArgumentException("--port must be a number: " + value);
      }
    }
  }
}
