package amiboot.health;

import amiboot.config.DurationText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET with the JDK's HTTP client; reads at most 1 MiB of the body (a health page, not a download).
 * The whole answer, body included, is bounded by the timeout: the client's own request timeout
 * ends at the headers, and an app that trickled its body (a byte a second) held the boot far
 * past health.timeout.
 */
public final class HttpHealthProbe implements HealthProbe {
  private static final int MAX_BODY = 1 << 20;

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();

  @Override
  public Answer get(URI url, Duration timeout) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "amiboot-health").GET().build();
    AtomicInteger status = new AtomicInteger();
    CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, info -> {
      status.set(info.statusCode());
      return new BoundedBody(MAX_BODY);
    });
    try {
      HttpResponse<byte[]> response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      throw new HttpTimeoutException(status.get() == 0
          ? "no answer within " + DurationText.format(timeout)
          : "the body of its HTTP " + status.get() + " was still coming after " + DurationText.format(timeout));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } finally {
      answer.cancel(true); // done, or given up on: the client closes the connection
    }
  }
}
