package amiboot.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollBudgetTest {
  /** A clock that only moves when the sleeper sleeps: waits are exact and the test is instant. */
  private Instant now = Instant.parse("2026-11-21T00:00:00Z");
  private final List<Duration> waits = new ArrayList<>();
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };
  private final Sleeper sleeper = d -> {
    waits.add(d);
    now = now.plus(d);
  };

  @Test
  void waitsDoubleFromFirstToMax_andTheLastOneEndsAtTheDeadline() throws Exception {
    PollBudget budget = new PollBudget(clock, sleeper, Duration.ofMillis(3000), Duration.ofMillis(100), Duration.ofMillis(1000));

    int attempts = 1;
    while (budget.awaitNextAttempt()) {
      attempts++;
    }

    assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(500)), waits);
    assertEquals(7, attempts, "one attempt at the start, one after each wait, the last at the deadline");
    assertEquals(Duration.ZERO, budget.remaining());
  }

  @Test
  void aZeroBudget_allowsOnlyTheFirstAttempt() throws Exception {
    PollBudget budget = new PollBudget(clock, sleeper, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1));

    assertFalse(budget.awaitNextAttempt());
    assertTrue(waits.isEmpty());
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }
}
