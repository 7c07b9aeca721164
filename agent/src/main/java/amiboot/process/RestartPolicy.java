package amiboot.process;

import java.time.Duration;

/**
 * When a worker that died is started again: after {@code firstDelay}, doubling with each restart
 * in the last {@code window} up to {@code maxDelay}; and when it is given up on: more than
 * {@code maxRestarts} restarts in {@code window} marks it failed instead of looping forever.
 */
public record RestartPolicy(Duration firstDelay, Duration maxDelay, int maxRestarts, Duration window) {
  public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
      Duration.ofMinutes(1));

  /** The wait before a restart, given how many restarts the window already holds. */
  public Duration delay(int recentRestarts) {
    Duration delay = firstDelay;
    for (int i = 0; i < recentRestarts && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
