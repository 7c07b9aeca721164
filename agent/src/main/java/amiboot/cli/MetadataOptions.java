package amiboot.cli;

import amiboot.boot.ProductionServices;
import amiboot.boot.RunContext;
import amiboot.boot.Supervision;
import amiboot.control.ControlClient;
import amiboot.control.ControlServer;
import amiboot.config.AgentConfig;
import amiboot.config.DurationText;
import amiboot.pipeline.BadInputException;
import amiboot.process.InstanceTypes;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that ask the metadata service (boot, plan); status does not. */
final class MetadataOptions {
  @Option(names = "--metadata-timeout", paramLabel = "DURATION",
      description = "How long to retry the metadata service (like 30s, 4m); overrides metadata.timeout.")
  String metadataTimeout;

  /**
   * The real systems, progress lines on stdout, the shipped instance-type table, this budget; and
   * the workers of the amiboot start process, when one runs (deploy and rollback restart them
   * through it).
   */
  RunContext context(AgentConfig config, Streams streams) throws BadInputException {
    RunContext context = new RunContext(config, new ProductionServices(), new ConsoleProgress(streams.out()),
        InstanceTypes.shipped(), metadataBudget(config));
    return ControlClient.connect(ControlServer.socketIn(config.stateDir()))
        .map(client -> context.withSupervision(new Supervision(client, "supervised by amiboot start (pid " + client.peer().pid() + ")")))
        .orElse(context);
  }

  Duration metadataBudget(AgentConfig config) throws BadInputException {
    if (metadataTimeout == null) {
      return config.metadataTimeout();
    }
    try {
      return DurationText.parse(metadataTimeout);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--metadata-timeout: " + e.getMessage());
    }
  }
}
