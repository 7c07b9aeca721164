package amiboot.status;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One process of the role as status shows it: a supervised worker (with its restarts), or a
 * process a daemonizing start command left a pid file for (restarts unknown).
 */
public record RoleProcess(String name, OptionalLong pid, String state, Optional<Instant> since, OptionalInt restarts) {
  /** Whether this process counts against "running": dead, or given up on. */
  public boolean down() {
    return !state.equals("running") && !state.equals("backoff");
  }
}
