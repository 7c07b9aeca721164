package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.state.StateStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the last recorded run.",
        "Prints its result, role, release, revision and each step's timing.",
        "Exit 0 when the last boot succeeded, 1 when it failed, 3 when there",
        "is no record."})
final class StatusCommand implements Callable<Integer> {
  static final int NO_RECORD = 3;

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
      } catch (IOException e) {
        streams.err().println("amiboot: cannot read " + store.file() + ": " + e.getMessage());
        return ExitCodes.INTERNAL;
      }
      if (state.isEmpty()) {
        streams.out().println("no run recorded yet (" + store.file() + ")");
        return NO_RECORD;
      }
      JsonNode s = state.get();
      if (json) {
        streams.out().println(s.toPrettyString());
      } else {
        print(s);
      }
      return "ok".equals(s.path("result").asText()) ? ExitCodes.OK : ExitCodes.APP_FAILED;
    });
  }

  private void print(JsonNode s) {
    var out = streams.out();
    out.println("last " + s.path("command").asText() + ": " + s.path("result").asText() + " at " + s.path("finished_at").asText()
        + " (" + s.path("duration_ms").asLong() + " ms)");
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
