package amiboot.cli;

import amiboot.boot.Pins;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What to deploy, pinned on the command line (deploy, plan): over user-data and the config. */
final class PinOptions {
  @Option(names = "--revision", paramLabel = "R",
      description = "Deploy this commit, tag or svn revision (over user-data and config).")
  String revision;

  @Option(names = "--branch", paramLabel = "B", description = "Deploy the head of this git branch (over user-data and config).")
  String branch;

  Pins pins() {
    return new Pins(Optional.ofNullable(revision), Optional.ofNullable(branch));
  }
}
