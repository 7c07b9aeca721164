package amiboot.cli;

import amiboot.boot.Boot;
import amiboot.boot.BootReport;
import amiboot.config.AgentConfig;
import amiboot.pipeline.Messages;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "boot", mixinStandardHelpOptions = true,
    description = {"Boot this instance: hosts, deploy, start, health, register.",
        "Reads the instance metadata and the config, writes /etc/hosts, deploys",
        "the app, starts it, checks its health and registers the instance with",
        "its load balancer. One line per step with its duration; the run is",
        "recorded in state_dir/state.json."})
final class BootCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  BootCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "boot", () -> {
      AgentConfig config = options.readConfig();
      BootReport report = new Boot(metadata.contextWithService(config, streams)).run();
      streams.out().println(Reports.summary("boot", report));
      report.unrecorded().ifPresent(why -> streams.err().println("amiboot: boot degraded, not recorded: " + Messages.oneLine(why)));
      return ExitCodes.OK;
    });
  }
}
