package amiboot.cli;

import amiboot.boot.Planning;
import amiboot.config.AgentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Dry run: print every change a boot or deploy would make.",
        "Changes nothing.",
        "Reads the metadata and the config, then prints the hosts lines, release",
        "directory, symlinks, commands, worker count and load balancer calls."})
final class PlanCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;
  @Mixin PinOptions pin;

  private final Streams streams;

  PlanCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "plan", () -> {
      AgentConfig config = options.readConfig();
      new Planning(metadata.context(config, streams), pin.pins()).run(streams.out());
      return ExitCodes.OK;
    });
  }
}
