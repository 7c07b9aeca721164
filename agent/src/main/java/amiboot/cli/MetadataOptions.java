package amiboot.cli;

import amiboot.boot.ProductionServices;
import amiboot.boot.RunContext;
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

  /** The real systems, progress lines on stdout, the shipped instance-type table, this budget. */
  RunContext context(AgentConfig config, Streams streams) throws BadInputException {
    return new RunContext(config, new ProductionServices(), new ConsoleProgress(streams.out()), InstanceTypes.shipped(),
        metadataBudget(config));
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
