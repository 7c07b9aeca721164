package amiboot.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in a test for something a real process does, with a bound and a message saying what never came. */
public final class Await {
  private Await() {}

  /** The acceptance tests' bound: processes start, deploy and stop within it on a loaded CI box. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    until(condition, Duration.ofSeconds(60), what);
  }

  public static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
