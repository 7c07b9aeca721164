package amiboot.cli;

import amiboot.boot.Redeploy;
import amiboot.config.AgentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = {"Redeploy on a running instance, from the repository.",
        "Builds the new release beside the running one, then deregisters from",
        "the role's load balancers, waits load_balancer.drain, stops the old",
        "processes, switches current, starts, checks health and registers again.",
        "If the new release never becomes healthy, it is marked failed and the",
        "previous good release is switched back, started and registered (exit 1)."})
final class DeployCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;
  @Mixin PinOptions pin;

  private final Streams streams;

  DeployCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "deploy", () -> {
      AgentConfig config = options.readConfig();
      var report = new Redeploy(metadata.contextWithService(config, streams), pin.pins()).run();
      streams.out().println(Reports.summary("deploy", report));
      return ExitCodes.OK;
    });
  }
}
