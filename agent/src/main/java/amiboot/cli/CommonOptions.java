package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.config.DurationText;
import amiboot.pipeline.BadInputException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by the commands that read the config. */
final class CommonOptions {
  static final String DEFAULT_CONFIG = "/etc/amiboot/amiboot.yml";

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = DEFAULT_CONFIG,
      description = "The config file (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--metadata-timeout", paramLabel = "DURATION",
      description = "How long to retry the metadata service (like 30s, 4m); overrides metadata.timeout.")
  String metadataTimeout;

  @Option(names = "--stacktrace", description = "On an internal error, print the stack trace.")
  boolean stacktrace;

  AgentConfig readConfig() throws BadInputException {
    return new ConfigReader().read(config);
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
