package amiboot.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.Sleeper;
import amiboot.simulate.LoopbackHttp;
import amiboot.testing.Ports;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HealthWait + HttpHealthProbe against a real HTTP app on loopback. */
class HealthWaitTest {

  private static final Optional<String> WELCOME = Optional.of("welcome");

  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch hangUntil = new CountDownLatch(1);
  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  private HttpServer app;
  private ExecutorService appThreads;

  @AfterEach
  void stop() {
    hangUntil.countDown();
    if (app != null) {
      app.stop(0);
      appThreads.shutdownNow();
    }
  }

  @Test
  void await_healthyAtOnce_onePoll() throws Exception {
    URI url = serve(n -> new Reply(200, "<h1>Welcome to SmallPayroll</h1>"));

    String summary = wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(3));

    assertTrue(summary.contains("after 1 poll"), summary);
    assertTrue(summary.contains("200"), summary);
    assertEquals(1, requests.get());
  }

  @Test
  void await_three503ThenWelcome_healthyAfterFourPolls_caseInsensitive() throws Exception {
    URI url = serve(n -> n <= 3 ? new Reply(503, "starting") : new Reply(200, "<h1>Welcome</h1>"));

    String summary = wait(recordingSleeper(1)).await(url, WELCOME, Duration.ofSeconds(4));

    assertTrue(summary.contains("after 4 polls"), summary);
    assertEquals(4, requests.get());
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), waits,
        "first wait 100 ms, then doubling");
  }

  @Test
  void await_2xxWithoutExpectedText_failsWithUrlStatusAndBodyExcerpt() throws Exception {
    String body = "x".repeat(200) + "Y" + "z".repeat(799);
    assertEquals(1000, body.length());
    URI url = serve(n -> new Reply(200, body));

    AppFailedException e = assertThrows(AppFailedException.class,
        () -> wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(1)));

    String m = e.getMessage();
    assertTrue(m.contains(url.toString()), m);
    assertTrue(m.contains("HTTP 200"), m);
    assertTrue(m.contains(body.substring(0, 200) + "..."), m);
    assertFalse(m.contains(body.substring(0, 201)), "only the first 200 characters: " + m);
    assertFalse(m.contains("Y"), m);
    assertTrue(m.contains("no \"welcome\""), m);
    assertTrue(requests.get() >= 2, "polled more than once: " + requests.get());
  }

  @Test
  void await_nothingListening_failsWithNoAnswer() {
    URI url = URI.create("http://127.0.0.1:" + Ports.free() + "/");

    AppFailedException e = assertThrows(AppFailedException.class,
        () -> wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(1)));

    assertTrue(e.getMessage().contains("no answer"), e.getMessage());
    assertTrue(e.getMessage().contains(url.toString()), e.getMessage());
  }

  @Test
  void await_hangingApp_timeoutBoundsTheWait() throws Exception {
    URI url = serve(n -> {
      try {
        hangUntil.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Reply(200, "welcome, too late");
    });

    long start = System.nanoTime();
    AppFailedException e = assertThrows(AppFailedException.class,
        () -> wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(1)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    assertTrue(e.getMessage().contains("within 1.00s"), e.getMessage());
    assertTrue(e.getMessage().contains("no answer"), e.getMessage());
  }

  @Test
  void await_appTricklingItsBody_timeoutBoundsTheWait() throws Exception {
    URI url = trickle("<h1>Welcome to SmallPayroll</h1>");

    long start = System.nanoTime();
    AppFailedException e = assertThrows(AppFailedException.class,
        () -> wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(2)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // A byte a second: the welcome would come after half a minute; the body's 1 MiB after twelve days.
    assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
    assertTrue(e.getMessage().startsWith("app never became healthy (" + url + ") within 2.00s, 1 poll; last: no answer"
        + " (the body of its HTTP 200 was still coming after 2.00s)"), e.getMessage());
  }

  @Test
  void await_always503_timeoutBoundsTheWait() throws Exception {
    URI url = serve(n -> new Reply(503, "Service Unavailable"));

    long start = System.nanoTime();
    AppFailedException e = assertThrows(AppFailedException.class,
        () -> wait(Sleeper.SYSTEM).await(url, WELCOME, Duration.ofSeconds(1)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    assertTrue(e.getMessage().contains("Service Unavailable"), e.getMessage());
  }

  @Test
  void await_waitsDoubleFrom100msUpTo2s() throws Exception {
    URI url = serve(n -> new Reply(503, "starting"));

    // Records the asked-for waits and really sleeps a tenth of each, so that the 2 s cap is
    // reached within a 3 s timeout.
    assertThrows(AppFailedException.class, () -> wait(recordingSleeper(10)).await(url, WELCOME, Duration.ofSeconds(3)));

    List<Duration> asked = List.copyOf(waits);
    assertTrue(asked.size() >= 6, "reached the cap: " + asked);
    assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L),
        asked.subList(0, 6).stream().map(Duration::toMillis).toList());
    for (Duration d : asked.subList(6, asked.size())) {
      // 2 s each, except the waits cut short to end at the deadline
      assertTrue(d.compareTo(Duration.ofSeconds(2)) <= 0, "never above 2 s: " + asked);
    }
    assertEquals(asked.size() + 1, requests.get(), "one poll before each wait and one after the last");
  }

  @Test
  void await_noExpectedText_any2xxIsHealthy() throws Exception {
    URI url = serve(n -> new Reply(204, ""));

    String summary = wait(Sleeper.SYSTEM).await(url, Optional.empty(), Duration.ofSeconds(2));

    assertTrue(summary.contains("204"), summary);
  }

  // --- helpers ---

  private HealthWait wait(Sleeper sleeper) {
    return new HealthWait(new HttpHealthProbe(), Clock.systemUTC(), sleeper);
  }

  /** Records each wait, and really sleeps it divided by {@code slowdownDivisor}. */
  private Sleeper recordingSleeper(int slowdownDivisor) {
    return d -> {
      waits.add(d);
      Thread.sleep(d.toMillis() / slowdownDivisor);
    };
  }

  private record Reply(int status, String body) {}

  private interface App {
    Reply answer(int requestNumber);
  }

  /** Starts the app on a free loopback port; {@code app} gets the 1-based request number. */
  private URI serve(App behaviour) throws IOException {
    app = LoopbackHttp.server(0);
    appThreads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-app");
      t.setDaemon(true);
      return t;
    });
    app.setExecutor(appThreads);
    app.createContext("/", exchange -> respond(exchange, behaviour.answer(requests.incrementAndGet())));
    app.start();
    return URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/");
  }

  /** An app that answers 200 at once, then sends {@code body} a byte a second (chunked), as a stuck app can. */
  private URI trickle(String body) throws IOException {
    URI url = serve(n -> new Reply(200, ""));
    app.removeContext("/");
    app.createContext("/", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(200, 0);
        for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
          exchange.getResponseBody().write(b);
          exchange.getResponseBody().flush();
          hangUntil.await(1, TimeUnit.SECONDS);
        }
      } catch (IOException | InterruptedException gone) {
        // the client hung up, or the test is over
      }
    });
    return url;
  }

  private static void respond(HttpExchange exchange, Reply reply) throws IOException {
    try (exchange) {
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html");
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }
}
