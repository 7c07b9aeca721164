package amiboot.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Whether the role runs, as an LSB status code (0 running, 1 dead, 3 not running, 4 unknown), and in words. */
public record Verdict(int code, String words) {
  public static final int RUNNING = 0;
  public static final int DEAD = 1;
  public static final int NOT_RUNNING = 3;
  public static final int UNKNOWN = 4;

  /** From the last run's record ({@code state.json}) and the service as it is now. */
  public static Verdict of(JsonNode last, RoleService service) {
    return last.path("supervised").asBoolean(false) ? supervised(last, service) : daemonized(last, service);
  }

  /**
   * A run: role runs while amiboot start answers with workers none of which is down. Its state
   * otherwise comes from amiboot start's pid file and the last run.
   */
  private static Verdict supervised(JsonNode last, RoleService service) {
    if (service.supervisor().isPresent()) {
      long down = service.processes().stream().filter(RoleProcess::down).count();
      if (service.processes().isEmpty()) {
        return new Verdict(DEAD, "amiboot start runs, but no workers do");
      }
      return down > 0 ? new Verdict(DEAD, "amiboot start runs, but " + down + " of " + service.processes().size()
          + " workers are down") : new Verdict(RUNNING, running(last));
    }
    if (service.startAlive().isPresent()) {
      return new Verdict(UNKNOWN, "amiboot start (pid " + service.startAlive().getAsLong() + ") runs but did not answer"
          + service.unanswered().map(why -> " (" + why + ")").orElse(""));
    }
    return notRunning(last, service).orElse(new Verdict(NOT_RUNNING, "not running: no amiboot start supervises the workers"));
  }

  /** A role whose start command daemonizes runs while the last run served it and every pid file names a live process. */
  private static Verdict daemonized(JsonNode last, RoleService service) {
    return notRunning(last, service).orElseGet(() -> service.anyDown() ? new Verdict(DEAD, "dead: a process named by a pid file is gone")
        : new Verdict(RUNNING, running(last)));
  }

  private static Optional<Verdict> notRunning(JsonNode last, RoleService service) {
    String command = last.path("command").asText();
    String result = last.path("result").asText();
    if (service.startPidFile() && service.startAlive().isEmpty()) {
      return Optional.of(new Verdict(DEAD, "dead: amiboot start is gone, its pid file remains"));
    }
    if (command.equals("stop") && result.equals("ok")) {
      return Optional.of(new Verdict(NOT_RUNNING, "stopped"));
    }
    if (result.equals("failed")) {
      return Optional.of(new Verdict(DEAD, "the last " + command + " failed"));
    }
    if (result.equals("interrupted")) {
      return Optional.of(new Verdict(DEAD, "the last " + command + " was interrupted by a signal during step "
          + last.path("interrupted_step").asText()));
    }
    return Optional.empty();
  }

  private static String running(JsonNode last) {
    return "degraded".equals(last.path("result").asText()) ? "running (degraded)" : "running";
  }
}
