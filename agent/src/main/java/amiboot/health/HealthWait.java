package amiboot.health;

import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.PollBudget;
import amiboot.pipeline.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Polls the app until it answers 2xx with the expected text (any case, like the seed's
 * {@code grep -qi welcome}). The first poll is immediate, then 100 ms, doubling to at most 2 s,
 * so a fast app is seen as healthy at once and a slow one is not hammered.
 */
public final class HealthWait {
  private static final Duration FIRST_WAIT = Duration.ofMillis(100);
  private static final Duration MAX_WAIT = Duration.ofSeconds(2);
  private static final Duration MAX_REQUEST = Duration.ofSeconds(5);

  private final HealthProbe probe;
  private final Clock clock;
  private final Sleeper sleeper;

  public HealthWait(HealthProbe probe, Clock clock, Sleeper sleeper) {
    this.probe = probe;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Returns a one-line summary when healthy; throws when {@code timeout} passes first. */
  public String await(URI url, Optional<String> expect, Duration timeout) throws AppFailedException {
    try {
      return poll(url, expect, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppFailedException("interrupted while waiting for " + url);
    }
  }

  private String poll(URI url, Optional<String> expect, Duration timeout) throws AppFailedException, InterruptedException {
    PollBudget budget = new PollBudget(clock, sleeper, timeout, FIRST_WAIT, MAX_WAIT);
    String last = "no answer yet";
    int polls = 0;
    while (true) {
      polls++;
      try {
        HealthProbe.Answer answer = probe.get(url, clamp(budget.remaining()));
        if (answer.success() && contains(answer.body(), expect)) {
          return url + " answered " + answer.status() + expect.map(e -> " with \"" + e + "\"").orElse("")
              + " after " + polls + (polls == 1 ? " poll" : " polls");
        }
        last = "HTTP " + answer.status() + " \"" + excerpt(answer.body()) + "\""
            + (answer.success() ? expect.map(e -> " (no \"" + e + "\" in it)").orElse("") : "");
      } catch (IOException e) {
        last = "no answer (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
      }
      if (!budget.awaitNextAttempt()) {
        throw new AppFailedException("app never became healthy (" + url + ") within " + DurationText.format(timeout)
            + ", " + polls + (polls == 1 ? " poll" : " polls") + "; last: " + last + "; check the app's logs in shared/log");
      }
    }
  }

  private static Duration clamp(Duration remaining) {
    if (remaining.compareTo(Duration.ofMillis(200)) < 0) {
      return Duration.ofMillis(200);
    }
    return remaining.compareTo(MAX_REQUEST) > 0 ? MAX_REQUEST : remaining;
  }

  private static boolean contains(String body, Optional<String> expect) {
    return expect.isEmpty() || body.toLowerCase(Locale.ROOT).contains(expect.get().toLowerCase(Locale.ROOT));
  }

  /** The first 200 characters, on one line, for the failure message. */
  static String excerpt(String body) {
    String flat = Messages.oneLine(body);
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }
}
