package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.config.DurationText;
import amiboot.pipeline.BadInputException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that ask the metadata service (boot, plan); status does not. */
final class MetadataOptions {
  @Option(names = "--metadata-timeout", paramLabel = "DURATION",
      description = "How long to retry the metadata service (like 30s, 4m); overrides metadata.timeout.")
  String metadataTimeout;

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
