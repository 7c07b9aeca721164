package amiboot.process;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** A supervised worker as {@code status} shows it. */
public record WorkerStatus(String name, OptionalLong pid, State state, int restarts, Optional<Instant> since) {
  /** Where a worker is in its life. */
  public enum State {
    RUNNING,
    /** Died; waiting to be started again. */
    BACKOFF,
    /** Died too often within the restart window: not started again. */
    FAILED,
    STOPPED
  }
}
