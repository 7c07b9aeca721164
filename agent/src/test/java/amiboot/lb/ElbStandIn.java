package amiboot.lb;

import amiboot.simulate.LoopbackHttp;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for classic Elastic Load Balancing, speaking the Query API (version 2012-06-01)
 * as the AWS SDK v2 {@code ElasticLoadBalancingClient} sends it: form-encoded POSTs to {@code /},
 * SigV4-signed, answered with XML. Only the calls the agent makes are implemented: registering,
 * deregistering and polling the health of instances.
 *
 * <p>It checks that a SigV4 Authorization header is present but not the signature itself: the
 * point is to prove the client signs, not to re-implement SigV4.
 */
public final class ElbStandIn implements AutoCloseable {

  static final String API_VERSION = "2012-06-01";

  private static final int WORKER_THREADS = 4;

  private final HttpServer server;
  private final ExecutorService workers;
  private final LoadBalancers loadBalancers;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  /** When each call arrived, in the order of {@link #calls}. */
  private final List<java.time.Instant> callTimes = Collections.synchronizedList(new ArrayList<>());

  private ElbStandIn(HttpServer server, ExecutorService workers, LoadBalancers loadBalancers) {
    this.server = server;
    this.workers = workers;
    this.loadBalancers = loadBalancers;
  }

  /** Starts on 127.0.0.1 at an ephemeral port, with these (empty) load balancers existing. */
  public static ElbStandIn start(String... loadBalancerNames) throws IOException {
    HttpServer server =
        LoopbackHttp.server(0);
    ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads());
    ElbStandIn standIn = new ElbStandIn(server, workers, new LoadBalancers(loadBalancerNames));
    server.createContext("/", standIn::handle);
    server.setExecutor(workers);
    server.start();
    return standIn;
  }

  /** The URI to give the SDK as its endpoint override, e.g. {@code http://127.0.0.1:49152}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The instance ids registered with {@code loadBalancerName} right now, in registration order. */
  public Set<String> members(String loadBalancerName) {
    return loadBalancers.members(loadBalancerName);
  }

  /**
   * Every call received so far, oldest first, failed ones included, as
   * {@code "Action LoadBalancerName InstanceId..."}.
   */
  /** When the first call starting with {@code prefix} ("DeregisterInstancesFromLoadBalancer") arrived. */
  public java.util.Optional<java.time.Instant> firstCallAt(String prefix) {
    synchronized (calls) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).startsWith(prefix)) {
          return java.util.Optional.of(callTimes.get(i));
        }
      }
      return java.util.Optional.empty();
    }
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * Makes DescribeInstanceHealth answer OutOfService for the first {@code n} polls of each
   * registered instance (counted from its registration), then InService: a health check warming up.
   */
  public void outOfServiceForPolls(int n) {
    loadBalancers.outOfServiceForPolls(n);
  }

  /** The next {@code n} registrations never become InService (a load balancer check the app keeps failing). */
  public void neverInServiceForNextRegistrations(int n) {
    loadBalancers.neverInServiceForNextRegistrations(n);
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, Reply.error(405, "InvalidAction", "Only POST is supported by this stand-in."));
        return;
      }
      QueryRequest request = QueryRequest.parse(body);
      synchronized (calls) {
        calls.add(request.describe());
        callTimes.add(java.time.Instant.now());
      }
      send(exchange, answer(exchange.getRequestHeaders(), request));
    }
  }

  private Reply answer(Headers headers, QueryRequest request) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")) {
      return Reply.error(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    if (request.action() == null) {
      return Reply.error(400, "MissingAction", "Could not find operation for this request.");
    }
    if (!API_VERSION.equals(request.version())) {
      return Reply.error(400, "InvalidAction", "Could not find operation " + request.action()
          + " for version " + request.version());
    }
    return switch (request.action()) {
      case "RegisterInstancesWithLoadBalancer" ->
          loadBalancers.register(request.loadBalancerName(), request.instanceIds());
      case "DeregisterInstancesFromLoadBalancer" ->
          loadBalancers.deregister(request.loadBalancerName(), request.instanceIds());
      case "DescribeInstanceHealth" ->
          loadBalancers.describeHealth(request.loadBalancerName(), request.instanceIds());
      default -> Reply.error(400, "InvalidAction",
          "The action " + request.action() + " is not valid for this web service.");
    };
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.xml().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    // The real service sends the request id as a header too; the SDK prefers it for its logs.
    exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "elb-stand-in-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The load balancers and their registered instances; all access under this object's lock. */
  private static final class LoadBalancers {
    static final String NOT_REGISTERED = "Instance is not currently registered with the LoadBalancer.";
    static final String FAILED_CHECKS =
        "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.";

    /** Load balancer name -> (instance id -> health polls answered since it was registered). */
    private final Map<String, Map<String, Integer>> pollsByInstance = new LinkedHashMap<>();
    private int outOfServicePolls;
    private int neverInServiceRegistrations;
    /** "name/instance" of registrations that never become InService. */
    private final Set<String> neverInService = new LinkedHashSet<>();

    LoadBalancers(String... names) {
      for (String name : names) {
        pollsByInstance.put(name, new LinkedHashMap<>());
      }
    }

    synchronized Set<String> members(String name) {
      Map<String, Integer> members = pollsByInstance.get(name);
      if (members == null) {
        throw new IllegalArgumentException("no load balancer named " + name);
      }
      return Collections.unmodifiableSet(new LinkedHashSet<>(members.keySet()));
    }

    synchronized void outOfServiceForPolls(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("n must not be negative: " + n);
      }
      outOfServicePolls = n;
    }

    synchronized void neverInServiceForNextRegistrations(int n) {
      neverInServiceRegistrations = n;
    }

    synchronized Reply register(String name, List<String> instanceIds) {
      Map<String, Integer> members = pollsByInstance.get(name);
      if (members == null) {
        return notFound(name);
      }
      // Registering an instance that is already registered is a no-op, as on the real service.
      for (String id : instanceIds) {
        if (members.putIfAbsent(id, 0) == null) {
          if (neverInServiceRegistrations > 0) {
            neverInServiceRegistrations--;
            neverInService.add(name + "/" + id);
          } else {
            neverInService.remove(name + "/" + id);
          }
        }
      }
      return Reply.success("RegisterInstancesWithLoadBalancer", instancesXml(members.keySet()));
    }

    synchronized Reply deregister(String name, List<String> instanceIds) {
      Map<String, Integer> members = pollsByInstance.get(name);
      if (members == null) {
        return notFound(name);
      }
      instanceIds.forEach(members::remove);
      return Reply.success("DeregisterInstancesFromLoadBalancer", instancesXml(members.keySet()));
    }

    synchronized Reply describeHealth(String name, List<String> instanceIds) {
      Map<String, Integer> members = pollsByInstance.get(name);
      if (members == null) {
        return notFound(name);
      }
      // Without instance ids the real service describes every registered instance.
      List<String> described = instanceIds.isEmpty() ? List.copyOf(members.keySet()) : instanceIds;
      StringBuilder states = new StringBuilder("<InstanceStates>");
      for (String id : described) {
        Integer polls = members.get(id);
        if (polls == null) {
          states.append(stateXml(id, "OutOfService", "Instance", NOT_REGISTERED));
        } else {
          members.put(id, polls + 1);
          states.append(polls < outOfServicePolls || neverInService.contains(name + "/" + id)
              ? stateXml(id, "OutOfService", "Instance", FAILED_CHECKS)
              : stateXml(id, "InService", "N/A", "N/A"));
        }
      }
      states.append("</InstanceStates>");
      return Reply.success("DescribeInstanceHealth", states.toString());
    }

    private static Reply notFound(String name) {
      if (name == null) {
        return Reply.error(400, "ValidationError", "1 validation error detected: Value null at"
            + " 'loadBalancerName' failed to satisfy constraint: Member must not be null");
      }
      return Reply.error(400, "LoadBalancerNotFound",
          "There is no ACTIVE Load Balancer named '" + name + "'");
    }

    private static String instancesXml(Set<String> instanceIds) {
      StringBuilder xml = new StringBuilder("<Instances>");
      for (String id : instanceIds) {
        xml.append("<member><InstanceId>").append(Reply.escape(id)).append("</InstanceId></member>");
      }
      return xml.append("</Instances>").toString();
    }

    private static String stateXml(String id, String state, String reasonCode, String description) {
      return "<member><InstanceId>" + Reply.escape(id) + "</InstanceId>"
          + "<State>" + state + "</State>"
          + "<ReasonCode>" + reasonCode + "</ReasonCode>"
          + "<Description>" + Reply.escape(description) + "</Description></member>";
    }
  }

  /** The parameters of one Query API request that this stand-in understands. */
  private record QueryRequest(
      String action, String version, String loadBalancerName, List<String> instanceIds) {

    private static final String INSTANCE_PREFIX = "Instances.member.";
    private static final String INSTANCE_SUFFIX = ".InstanceId";

    static QueryRequest parse(String formBody) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : formBody.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        params.put(decode(key), decode(value));
      }
      // List members are numbered from 1; order them by number, not by where they appear.
      TreeMap<Integer, String> instances = new TreeMap<>();
      params.forEach((key, value) -> {
        if (key.startsWith(INSTANCE_PREFIX) && key.endsWith(INSTANCE_SUFFIX)) {
          String index =
              key.substring(INSTANCE_PREFIX.length(), key.length() - INSTANCE_SUFFIX.length());
          try {
            instances.put(Integer.parseInt(index), value);
          } catch (NumberFormatException notAMember) {
            // Not a list member; the real service would reject it, the stand-in just ignores it.
          }
        }
      });
      return new QueryRequest(
          params.get("Action"), params.get("Version"), params.get("LoadBalancerName"),
          List.copyOf(instances.values()));
    }

    private static String decode(String text) {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The entry for {@link ElbStandIn#calls()}, e.g. "RegisterInstancesWithLoadBalancer lb i-1". */
    String describe() {
      List<String> parts = new ArrayList<>();
      parts.add(action == null ? "(no Action)" : action);
      if (loadBalancerName != null) {
        parts.add(loadBalancerName);
      }
      parts.addAll(instanceIds);
      return String.join(" ", parts);
    }
  }

  /** One XML answer, shaped as the Query protocol shapes them. */
  private record Reply(int status, String requestId, String xml) {

    private static final String XMLNS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";

    static Reply success(String action, String resultXml) {
      String requestId = UUID.randomUUID().toString();
      String xml = "<" + action + "Response xmlns=\"" + XMLNS + "\">"
          + "<" + action + "Result>" + resultXml + "</" + action + "Result>"
          + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
          + "</" + action + "Response>";
      return new Reply(200, requestId, xml);
    }

    static Reply error(int status, String code, String message) {
      String requestId = UUID.randomUUID().toString();
      String xml = "<ErrorResponse xmlns=\"" + XMLNS + "\"><Error><Type>Sender</Type>"
          + "<Code>" + code + "</Code><Message>" + escape(message) + "</Message></Error>"
          + "<RequestId>" + requestId + "</RequestId></ErrorResponse>";
      return new Reply(status, requestId, xml);
    }

    static String escape(String text) {
      // Only element text is escaped, so quotes can stay readable.
      return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
  }
}
