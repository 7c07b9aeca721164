package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.pipeline.Messages;
import amiboot.state.MembershipStore;
import amiboot.state.StateStore;
import amiboot.status.RoleService;
import amiboot.status.StatusReport;
import amiboot.status.Verdict;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the role's processes, load balancers and last run.",
        "Prints the result of the last run (boot, deploy, rollback, stop), the role,",
        "release and revision; each process with its pid, uptime, restarts and",
        "state; the load-balancer membership as last seen; and the step timings of",
        "the last run and of the last boot. Exit codes follow the LSB status",
        "convention: 0 running, 1 dead (a process or amiboot start died, a worker",
        "failed, or the last run failed), 3 not running (stopped, or never",
        "booted), 4 unknown (the state file cannot be read, or amiboot start runs",
        "but does not answer)."})
final class StatusCommand implements Callable<Integer> {
  /** What every finished run records (BootRecord); without them there is nothing to show. */
  private static final List<String> RECORD_KEYS = List.of("command", "result", "finished_at");

  @Mixin CommonOptions options;

  @Option(names = "--json", description = "Print it all as one JSON object (the last run's record is under last_run).")
  boolean json;

  private final Streams streams;

  StatusCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "status", () -> {
      AgentConfig config = options.readConfig();
      StateStore store = new StateStore(config.stateDir());
      Optional<JsonNode> state;
      try {
        state = store.read();
      } catch (JsonProcessingException e) {
        return unusable(store, "not valid JSON" + where(e));
      } catch (IOException e) {
        streams.err().println("amiboot: status: cannot read state file " + store.file() + " (" + Messages.describe(e)
            + "): check that it is a readable file");
        return Verdict.UNKNOWN;
      }
      if (state.isEmpty()) {
        streams.out().println("no run recorded yet (" + store.file() + "): not running");
        return Verdict.NOT_RUNNING;
      }
      Optional<String> problem = problemOf(state.get());
      if (problem.isPresent()) {
        return unusable(store, problem.get());
      }
      JsonNode last = state.get();
      Optional<Path> pids = last.hasNonNull("deploy_to")
          ? Optional.of(Path.of(last.path("deploy_to").asText(), "shared", "tmp", "pids")) : Optional.empty();
      RoleService service = RoleService.look(config.stateDir(), pids, last.path("supervised").asBoolean(false));
      Optional<JsonNode> lastBoot = "boot".equals(last.path("command").asText()) ? Optional.empty() : store.readLastBoot();
      StatusReport report = new StatusReport(Verdict.of(last, service), service, new MembershipStore(config.stateDir()).read(),
          last, lastBoot, Instant.now());
      if (json) {
        streams.out().println(report.json().toPrettyString());
      } else {
        report.print(streams.out());
      }
      return report.verdict().code();
    });
  }

  /**
   * The state file exists but is no record that status can show (a crash or a hand edit): one
   * line, LSB's "status unknown". A boot replaces the file whole.
   */
  private int unusable(StateStore store, String reason) {
    streams.err().println("amiboot: status: state file " + store.file() + " is not a usable record (" + reason
        + "): the next boot rewrites it");
    return Verdict.UNKNOWN;
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** Why {@code s} is not a record a finished run wrote (BootRecord), or empty when it is one. */
  private static Optional<String> problemOf(JsonNode s) {
    if (s == null || s.isMissingNode()) {
      return Optional.of("empty");
    }
    if (!s.isObject()) {
      return Optional.of("not a JSON object");
    }
    List<String> missing = new ArrayList<>();
    for (String key : RECORD_KEYS) {
      if (!s.path(key).isTextual() || s.path(key).asText().isBlank()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      return Optional.of("no " + String.join(", ", missing));
    }
    String result = s.path("result").asText();
    if (!List.of("ok", "degraded", "failed", "interrupted").contains(result)) {
      return Optional.of("result is neither ok, degraded, failed nor interrupted");
    }
    return Optional.empty();
  }
}
