package amiboot.pipeline;

import java.time.Duration;

/** Waiting, behind an interface so that retry loops say how long they wait instead of hiding it. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
