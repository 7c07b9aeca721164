package amiboot.cli;

import amiboot.boot.ProductionServices;
import amiboot.boot.RunContext;
import amiboot.boot.Supervision;
import amiboot.control.ControlClient;
import amiboot.control.ControlServer;
import amiboot.config.AgentConfig;
import amiboot.config.DurationText;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.UnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import amiboot.process.InstanceTypes;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that ask the metadata service (boot, plan); status does not. */
final class MetadataOptions {
  @Option(names = "--metadata-timeout", paramLabel = "DURATION",
      description = "How long to retry the metadata service (like 30s, 4m); overrides metadata.timeout.")
  String metadataTimeout;

  /** The real systems, progress lines on stdout, the shipped instance-type table, this budget. */
  RunContext context(AgentConfig config, Streams streams) throws BadInputException {
    return new RunContext(config, new ProductionServices(), new ConsoleProgress(streams.out()), InstanceTypes.shipped(),
        metadataBudget(config));
  }

  /**
   * The same, with the workers of the amiboot start process when one runs: boot, deploy and
   * rollback stop and start a run: role's workers through it.
   */
  RunContext contextWithService(AgentConfig config, Streams streams) throws BootException {
    RunContext context = context(config, streams);
    Path socket = ControlServer.socketIn(config.stateDir());
    try {
      return ControlClient.connect(socket).map(client -> context.withSupervision(
          new Supervision(client, "supervised by amiboot start (pid " + client.peer().pid() + ")"))).orElse(context);
    } catch (IOException e) {
      throw new UnavailableException("amiboot start did not answer on " + socket + " (" + e.getMessage()
          + "): it may be busy stopping workers; run again, or see its log", e);
    }
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
