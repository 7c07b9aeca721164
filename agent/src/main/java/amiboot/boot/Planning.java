package amiboot.boot;

import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import java.io.PrintStream;

/** {@code amiboot plan}: the read-only steps, then the changes a boot would make. Takes no lock, writes nothing. */
public final class Planning {
  private final RunContext context;
  private final Pins pins;

  public Planning(RunContext context, Pins pins) {
    this.context = context;
    this.pins = pins;
  }

  public void run(PrintStream out) throws BootException {
    Prepared prepared = context.preparation(Preparation.RepositoryCheck.REQUIRED, pins).run(new Pipeline(context.progress()));
    new PlanPrinter(out).print(prepared);
  }
}
