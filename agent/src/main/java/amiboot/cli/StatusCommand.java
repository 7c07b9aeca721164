package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.control.ControlServer;
import amiboot.pipeline.Messages;
import amiboot.state.MembershipStore;
import amiboot.state.StateStore;
import amiboot.status.RoleProcess;
import amiboot.status.RoleService;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        "booted), 4 unknown (the state file cannot be read)."})
final class StatusCommand implements Callable<Integer> {
  static final int RUNNING = 0;
  static final int DEAD = 1;
  static final int NOT_RUNNING = 3;
  static final int UNKNOWN = 4;
  /** What every finished run records (BootRecord); without them there is nothing to show. */
  private static final List<String> RECORD_KEYS = List.of("command", "result", "finished_at");

  @Mixin CommonOptions options;

  @Option(names = "--json", description = "Print it all as one JSON object (the last run's record is under last_run).")
  boolean json;

  private final Streams streams;

  StatusCommand(Streams streams) {
    this.streams = streams;
  }

  /** Whether the role runs, as an LSB status code, and in words. */
  record Verdict(int code, String words) {}

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
        return UNKNOWN;
      }
      if (state.isEmpty()) {
        streams.out().println("no run recorded yet (" + store.file() + "): not running");
        return NOT_RUNNING;
      }
      Optional<String> problem = problemOf(state.get());
      if (problem.isPresent()) {
        return unusable(store, problem.get());
      }
      JsonNode last = state.get();
      RoleService service = look(config, last);
      Verdict verdict = verdict(last, service, Files.exists(StartCommand.pidFile(config)));
      Optional<JsonNode> membership = new MembershipStore(config.stateDir()).read();
      Optional<JsonNode> lastBoot = "boot".equals(last.path("command").asText()) ? Optional.empty() : store.readLastBoot();
      if (json) {
        streams.out().println(json(verdict, service, membership, last, lastBoot).toPrettyString());
      } else {
        print(verdict, service, membership, last, lastBoot);
      }
      return verdict.code();
    });
  }

  private RoleService look(AgentConfig config, JsonNode last) {
    Optional<Path> pids = last.hasNonNull("deploy_to")
        ? Optional.of(Path.of(last.path("deploy_to").asText(), "shared", "tmp", "pids")) : Optional.empty();
    try {
      return RoleService.look(ControlServer.socketIn(config.stateDir()), pids);
    } catch (IOException e) {
      streams.err().println("amiboot: status: amiboot start did not answer (" + e.getMessage() + ")");
      return new RoleService(Optional.empty(), List.of());
    }
  }

  /**
   * Running when amiboot start answers and no worker failed, or (for a role whose start command
   * daemonizes) when the last run served the role and every pid file names a live process.
   */
  static Verdict verdict(JsonNode last, RoleService service, boolean startPidFile) {
    String command = last.path("command").asText();
    String result = last.path("result").asText();
    if (service.supervisor().isPresent()) {
      long failed = service.processes().stream().filter(RoleProcess::down).count();
      return failed > 0 ? new Verdict(DEAD, "amiboot start runs, but " + failed + " of " + service.processes().size()
          + " workers are down") : new Verdict(RUNNING, "running");
    }
    if (startPidFile) {
      return new Verdict(DEAD, "dead: amiboot start is gone, its pid file remains");
    }
    if (command.equals("stop") && result.equals("ok")) {
      return new Verdict(NOT_RUNNING, "stopped");
    }
    if (result.equals("failed")) {
      return new Verdict(DEAD, "the last " + command + " failed");
    }
    if (last.path("supervised").asBoolean(false)) {
      return new Verdict(NOT_RUNNING, "not running: no amiboot start supervises the workers");
    }
    if (service.anyDown()) {
      return new Verdict(DEAD, "dead: a process named by a pid file is gone");
    }
    return new Verdict(RUNNING, result.equals("degraded") ? "running (degraded)" : "running");
  }

  /**
   * The state file exists but is no record that status can show (a crash or a hand edit): one
   * line, LSB's "status unknown". A boot replaces the file whole.
   */
  private int unusable(StateStore store, String reason) {
    streams.err().println("amiboot: status: state file " + store.file() + " is not a usable record (" + reason
        + "): the next boot rewrites it");
    return UNKNOWN;
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
    if (!result.equals("ok") && !result.equals("failed") && !result.equals("degraded")) {
      return Optional.of("result is neither ok, degraded nor failed");
    }
    return Optional.empty();
  }

  private void print(Verdict verdict, RoleService service, Optional<JsonNode> membership, JsonNode s, Optional<JsonNode> lastBoot) {
    PrintStream out = streams.out();
    out.println("last " + run(s));
    if (s.has("degraded")) {
      out.println("degraded: " + s.path("degraded").asText());
    }
    if (s.has("error")) {
      out.println("error:    " + s.path("error").asText());
    }
    out.println("instance: " + s.path("instance").path("id").asText("?") + " " + s.path("instance").path("type").asText(""));
    out.println("role:     " + s.path("role").asText("?") + (s.has("workers") ? ", " + s.path("workers").asInt() + " workers" : ""));
    out.println("release:  " + s.path("release").asText("?") + ", revision " + s.path("revision").asText("?"));
    out.println("service:  " + verdict.words() + service.supervisor().map(p -> ": amiboot start (pid " + p.pid() + "), up "
        + uptime(p.since())).orElse(""));
    for (RoleProcess p : service.processes()) {
      StringBuilder line = new StringBuilder("  " + p.name() + "  " + (p.pid().isPresent() ? "pid " + p.pid().getAsLong() : "no pid")
          + "  " + p.state());
      p.since().ifPresent(since -> line.append("  up ").append(uptime(since)));
      p.restarts().ifPresent(r -> line.append("  restarts ").append(r));
      out.println(line);
    }
    out.println("load balancers: " + membership.map(StatusCommand::membership).orElse("none recorded"));
    out.println("steps of the last " + s.path("command").asText() + ":");
    steps(out, s);
    lastBoot.ifPresent(boot -> {
      out.println("last " + run(boot));
      steps(out, boot);
    });
  }

  private static String run(JsonNode s) {
    return s.path("command").asText() + ": " + s.path("result").asText() + " at " + s.path("finished_at").asText()
        + " (" + s.path("duration_ms").asLong() + " ms)";
  }

  private static void steps(PrintStream out, JsonNode s) {
    for (JsonNode step : s.path("steps")) {
      out.printf("  %-9s %-9s %6d ms  %s%n", step.path("step").asText(), step.path("status").asText(),
          step.path("duration_ms").asLong(), step.path("detail").asText());
    }
  }

  private static String membership(JsonNode m) {
    List<String> names = new ArrayList<>();
    m.path("load_balancers").forEach(n -> names.add(n.asText()));
    String state = switch (m.path("state").asText()) {
      case "in_service" -> "registered and InService with ";
      case "registered" -> "registered with ";
      case "deregistered" -> "deregistered from ";
      default -> m.path("state").asText() + ": ";
    };
    return m.path("instance").asText() + " " + state + String.join(", ", names) + " (seen by " + m.path("by").asText()
        + " at " + m.path("at").asText() + ")";
  }

  private static String uptime(Instant since) {
    Duration up = Duration.between(since, Instant.now());
    if (up.isNegative()) {
      return "0s";
    }
    long h = up.toHours();
    long m = up.toMinutesPart();
    long sec = up.toSecondsPart();
    return h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + sec + "s" : sec + "s";
  }

  private static ObjectNode json(Verdict verdict, RoleService service, Optional<JsonNode> membership, JsonNode last,
      Optional<JsonNode> lastBoot) {
    ObjectNode doc = new ObjectMapper().createObjectNode().put("status", verdict.words()).put("exit_code", verdict.code());
    service.supervisor().ifPresent(p -> doc.putObject("supervisor").put("pid", p.pid()).put("since", p.since().toString()));
    ArrayNode processes = doc.putArray("processes");
    for (RoleProcess p : service.processes()) {
      ObjectNode row = processes.addObject().put("name", p.name()).put("state", p.state());
      p.pid().ifPresent(pid -> row.put("pid", pid));
      p.since().ifPresent(since -> row.put("since", since.toString())
          .put("uptime_s", Math.max(0, Duration.between(since, Instant.now()).toSeconds())));
      p.restarts().ifPresent(r -> row.put("restarts", r));
    }
    membership.ifPresent(m -> doc.set("load_balancers", m));
    doc.set("last_run", last);
    lastBoot.ifPresent(boot -> doc.set("last_boot", boot));
    return doc;
  }
}
