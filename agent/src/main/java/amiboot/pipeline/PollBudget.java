package amiboot.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The waits between attempts of a bounded poll: exponential backoff, the last attempt at the
 * deadline. Shared by the metadata retries, the repository's first contact, the health check and
 * the load balancer's InService wait.
 */
public final class PollBudget {
  private final Clock clock;
  private final Sleeper sleeper;
  private final Instant deadline;
  private final Backoff backoff;

  public PollBudget(Clock clock, Sleeper sleeper, Duration budget, Duration firstWait, Duration maxWait) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.deadline = clock.instant().plus(budget);
    this.backoff = new Backoff(firstWait, maxWait);
  }

  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Sleeps until the next attempt, never past the deadline, so the last attempt happens at the
   * deadline rather than a backoff step before it. Returns false once the deadline has passed.
   */
  public boolean awaitNextAttempt() throws InterruptedException {
    Duration left = remaining();
    if (left.isZero()) {
      return false;
    }
    Duration wait = backoff.next();
    sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
    return true;
  }
}
