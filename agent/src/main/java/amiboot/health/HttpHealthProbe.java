package amiboot.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** GET with the JDK's HTTP client; reads at most 1 MiB of the body (a health page, not a download). */
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
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      return new Answer(response.statusCode(), new String(body.readNBytes(MAX_BODY), StandardCharsets.UTF_8));
    }
  }
}
