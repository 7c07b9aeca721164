package amiboot.cli;

import amiboot.boot.Rollback;
import amiboot.config.AgentConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Go back to the previous good release, or to RELEASE.",
        "Deregisters, waits load_balancer.drain, stops the processes, switches",
        "current, starts, checks health and registers again. The repository is",
        "not contacted. See 'amiboot releases' for the names."})
final class RollbackCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  @Parameters(arity = "0..1", paramLabel = "RELEASE", description = "The release to go to (default: the previous good one).")
  String release;

  private final Streams streams;

  RollbackCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "rollback", () -> {
      AgentConfig config = options.readConfig();
      var report = new Rollback(metadata.contextWithService(config, streams), Optional.ofNullable(release)).run();
      streams.out().println(Reports.summary("rollback", report));
      return ExitCodes.OK;
    });
  }
}
