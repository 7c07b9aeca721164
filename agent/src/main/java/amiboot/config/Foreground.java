package amiboot.config;

import java.time.Duration;
import java.util.List;

/**
 * A role's {@code run:} command: a foreground process that {@code amiboot start} runs
 * {@code ${workers}} copies of and supervises. Each copy gets WORKER_INDEX (1, 2, ...) and
 * PORT ({@code port} + index - 1, as a Procfile runner numbers them); on stop each gets SIGTERM,
 * then SIGKILL after {@code stopTimeout}.
 */
public record Foreground(List<Template> run, Duration stopTimeout, int port) {
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_PORT = 5000;

  public Foreground {
    run = List.copyOf(run);
  }

  public static Foreground none() {
    return new Foreground(List.of(), DEFAULT_STOP_TIMEOUT, DEFAULT_PORT);
  }

  public boolean supervised() {
    return !run.isEmpty();
  }
}
