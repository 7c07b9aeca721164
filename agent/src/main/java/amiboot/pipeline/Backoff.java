package amiboot.pipeline;

import java.time.Duration;

/** Exponential backoff between polls: starts at {@code first}, doubles, never above {@code max}. */
final class Backoff {
  private final Duration max;
  private Duration next;

  Backoff(Duration first, Duration max) {
    this.next = first;
    this.max = max;
  }

  Duration next() {
    Duration current = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return current;
  }
}
