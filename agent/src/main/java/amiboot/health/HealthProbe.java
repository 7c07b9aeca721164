package amiboot.health;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** One HTTP GET against the app. */
public interface HealthProbe {
  Answer get(URI url, Duration timeout) throws IOException, InterruptedException;

  /** The status and (the start of) the body. */
  record Answer(int status, String body) {
    public boolean success() {
      return status >= 200 && status < 300;
    }
  }
}
