package amiboot.cli;

import amiboot.boot.Validation;
import amiboot.boot.ValidationReport;
import amiboot.boot.ValidationReport.Finding;
import amiboot.config.ConfigReader;
import amiboot.pipeline.Messages;
import amiboot.process.InstanceTypes;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check a config off the box and list every problem, with its line.",
        "Reads the config only: no metadata service, no repository, no lock;",
        "nothing is written. With --user-data it resolves what a boot would:",
        "the role, variables, hosts entries, pins, the health URL and load",
        "balancer names; with --instance-type, the worker count. Without them,",
        "the checks that need them are listed as skipped. Not checked: what only",
        "the box has (shared files, password_file, repository, load balancers).",
        "Exit codes: 0 valid, 65 problems."})
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  /** Null when neither --user-data nor --user-data-file is given. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  UserDataOptions userData;

  @Option(names = "--instance-type", paramLabel = "TYPE", description = "Instance type to size workers for, e.g. m1.large.")
  String instanceType;

  private final Streams streams;

  ValidateCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "validate", () -> {
      ValidationReport report = new Validation(InstanceTypes.shipped()).run(options.config,
          new ConfigReader().check(options.config),
          new Validation.Inputs(UserDataOptions.read(userData), Optional.ofNullable(instanceType)));
      report.problems().forEach(f -> print(f, ""));
      report.warnings().forEach(f -> print(f, "warning: "));
      report.skipped().forEach(f -> print(f, "skipped: "));
      streams.out().println(report.summary());
      if (report.valid()) {
        return ExitCodes.OK;
      }
      int n = report.problems().size();
      streams.err().println("amiboot: validate failed: " + n + (n == 1 ? " problem" : " problems") + " with "
          + options.config + " (listed above)");
      return ExitCodes.BAD_INPUT;
    });
  }

  /** One line each: a value quoted from the config may hold a newline or a bidi override. */
  private void print(Finding finding, String label) {
    streams.out().println(Messages.oneLine(finding.where() + ": " + label + finding.text()));
  }
}
