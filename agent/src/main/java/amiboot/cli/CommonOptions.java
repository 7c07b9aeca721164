package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.pipeline.BadInputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command has: the config it reads, and the stack trace switch. */
final class CommonOptions {
  static final String DEFAULT_CONFIG = "/etc/amiboot/amiboot.yml";

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = DEFAULT_CONFIG,
      description = "The config file (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--stacktrace", description = "On an internal error, print the stack trace.")
  boolean stacktrace;

  AgentConfig readConfig() throws BadInputException {
    return new ConfigReader().read(config);
  }
}
