package amiboot.status;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One process of the role as status shows it: a supervised worker (with its restarts), or a
 * process a daemonizing start command left a pid file for (restarts unknown).
 */
public record RoleProcess(String name, OptionalLong pid, State state, Optional<Instant> since, OptionalInt restarts) {
  /** Where the process is; the first four are the supervisor's words for a worker. */
  public enum State {
    RUNNING,
    /** Died; the supervisor starts it again after a delay. */
    BACKOFF,
    /** Died too often: not started again. */
    FAILED,
    STOPPED,
    /** A pid file whose process is gone. */
    DEAD,
    UNREADABLE_PID_FILE;

    public String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /** Whether this process counts against "running": dead, or given up on. */
  public boolean down() {
    return state != State.RUNNING && state != State.BACKOFF;
  }
}
