package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.pipeline.BadInputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command has: the config it reads, and the stack trace switch. */
final class CommonOptions {
  /**
   * AMIBOOT_CONFIG, as the init script and /etc/default/amiboot name the service's config, so
   * that status, deploy and stop by hand read the config the service runs with.
   */
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:AMIBOOT_CONFIG:-/etc/amiboot/amiboot.yml}",
      description = "The config file (default: ${DEFAULT-VALUE}; AMIBOOT_CONFIG sets it).")
  Path config;

  @Option(names = "--stacktrace", description = "On an internal error, print the stack trace.")
  boolean stacktrace;

  AgentConfig readConfig() throws BadInputException {
    return new ConfigReader().read(config);
  }
}
