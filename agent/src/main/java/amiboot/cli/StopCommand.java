package amiboot.cli;

import amiboot.boot.ProductionServices;
import amiboot.boot.Shutdown;
import amiboot.config.AgentConfig;
import amiboot.config.DurationText;
import amiboot.process.InstanceTypes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Take the instance out of service and stop the role.",
        "Deregisters from the role's load balancers, waits load_balancer.drain",
        "for requests in flight, then runs the role's stop command: never the",
        "other way round. The repository is not contacted."})
final class StopCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  StopCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "stop", () -> {
      AgentConfig config = options.readConfig();
      var report = new Shutdown(config, new ProductionServices(), new ConsoleProgress(streams.out()), InstanceTypes.shipped(),
          metadata.metadataBudget(config)).run();
      streams.out().println("stop ok in " + DurationText.format(report.took()) + ": role " + report.plan().role()
          + ", release " + report.releaseId() + " stopped");
      return ExitCodes.OK;
    });
  }
}
