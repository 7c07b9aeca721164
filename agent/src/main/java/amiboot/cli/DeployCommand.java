package amiboot.cli;

import amiboot.boot.Pins;
import amiboot.boot.ProductionServices;
import amiboot.boot.Redeploy;
import amiboot.config.AgentConfig;
import amiboot.process.InstanceTypes;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Option(names = "--revision", paramLabel = "R",
      description = "Deploy this commit, tag or svn revision (over user-data and config).")
  String revision;

  @Option(names = "--branch", paramLabel = "B", description = "Deploy the head of this git branch (over user-data and config).")
  String branch;

  private final Streams streams;

  DeployCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "deploy", () -> {
      AgentConfig config = options.readConfig();
      var report = new Redeploy(config, new ProductionServices(), new ConsoleProgress(streams.out()), InstanceTypes.shipped(),
          metadata.metadataBudget(config), new Pins(Optional.ofNullable(revision), Optional.ofNullable(branch))).run();
      streams.out().println(Reports.summary("deploy", report));
      return ExitCodes.OK;
    });
  }
}
