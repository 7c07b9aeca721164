package amiboot.cli;

import amiboot.config.DurationText;
import amiboot.pipeline.Progress;
import amiboot.pipeline.StepResult;
import java.io.PrintStream;

/** One line per finished step: name, outcome, duration, detail. */
final class ConsoleProgress implements Progress {
  private final PrintStream out;

  ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void finished(StepResult r) {
    out.printf("%-10s %-9s %7s  %s%n", r.step().label(), r.status().label(), DurationText.format(r.duration()), r.detail());
    out.flush();
  }
}
