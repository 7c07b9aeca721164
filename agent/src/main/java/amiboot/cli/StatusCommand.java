package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.pipeline.Messages;
import amiboot.state.StateStore;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the last recorded run.",
        "Prints its result, role, release, revision and each step's timing.",
        "Exit 0 when the last run succeeded (or was degraded: it served the",
        "release on the box, the repository being unreachable), 1 when it",
        "failed or the record is unusable, 3 when there is no record."})
final class StatusCommand implements Callable<Integer> {
  static final int NO_RECORD = 3;
  /** What every finished run records (BootRecord); without them there is nothing to show. */
  private static final List<String> RECORD_KEYS = List.of("command", "result", "finished_at");

  @Mixin CommonOptions options;

  @Option(names = "--json", description = "Print the state file as it is.")
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
        return ExitCodes.INTERNAL;
      }
      if (state.isEmpty()) {
        streams.out().println("no run recorded yet (" + store.file() + ")");
        return NO_RECORD;
      }
      Optional<String> problem = problemOf(state.get());
      if (problem.isPresent()) {
        return unusable(store, problem.get());
      }
      JsonNode s = state.get();
      if (json) {
        streams.out().println(s.toPrettyString());
      } else {
        print(s);
      }
      // degraded: the role serves the release already on the box
      return "failed".equals(s.path("result").asText()) ? ExitCodes.APP_FAILED : ExitCodes.OK;
    });
  }

  /**
   * The state file exists but is no record that status can show (a crash or a hand edit): one
   * line, exit 1 as for a failed boot, since the last run cannot be shown as a success. It is
   * neither the user's input (65) nor amiboot's bug (70), and a boot replaces the file whole.
   */
  private int unusable(StateStore store, String reason) {
    streams.err().println("amiboot: status: state file " + store.file() + " is not a usable record (" + reason
        + "): the next boot rewrites it");
    return ExitCodes.APP_FAILED;
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

  private void print(JsonNode s) {
    var out = streams.out();
    out.println("last " + s.path("command").asText() + ": " + s.path("result").asText() + " at " + s.path("finished_at").asText()
        + " (" + s.path("duration_ms").asLong() + " ms)");
    if (s.has("degraded")) {
      out.println("degraded: " + s.path("degraded").asText());
    }
    if (s.has("error")) {
      out.println("error:    " + s.path("error").asText());
    }
    out.println("instance: " + s.path("instance").path("id").asText("?") + " " + s.path("instance").path("type").asText(""));
    out.println("role:     " + s.path("role").asText("?") + (s.has("workers") ? ", " + s.path("workers").asInt() + " workers" : ""));
    out.println("release:  " + s.path("release").asText("?") + ", revision " + s.path("revision").asText("?"));
    for (JsonNode step : s.path("steps")) {
      out.printf("  %-9s %-9s %6d ms  %s%n", step.path("step").asText(), step.path("status").asText(),
          step.path("duration_ms").asLong(), step.path("detail").asText());
    }
  }
}
