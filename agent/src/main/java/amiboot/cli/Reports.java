package amiboot.cli;

import amiboot.boot.BootReport;
import amiboot.config.DurationText;

/** The last line of a run: the role in service, or stopped. */
final class Reports {
  private Reports() {}

  static String summary(String command, BootReport report) {
    String what = ": role " + report.plan().role() + ", release " + report.releaseId() + ", revision " + report.revision();
    return report.degraded()
        .map(reason -> command + " degraded in " + DurationText.format(report.took()) + what + " (" + reason + ")")
        .orElse(command + " ok in " + DurationText.format(report.took()) + what);
  }

  static String stopped(BootReport report) {
    return "stop ok in " + DurationText.format(report.took()) + ": role " + report.plan().role() + ", release "
        + report.releaseId() + " stopped";
  }
}
