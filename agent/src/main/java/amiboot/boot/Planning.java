package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.Progress;
import amiboot.process.InstanceTypes;
import java.io.PrintStream;
import java.time.Duration;

/** {@code amiboot plan}: the read-only steps, then the changes a boot would make. Takes no lock, writes nothing. */
public final class Planning {
  private final AgentConfig config;
  private final Services services;
  private final InstanceTypes instanceTypes;
  private final Duration metadataBudget;
  private final Pins pins;

  public Planning(AgentConfig config, Services services, InstanceTypes instanceTypes, Duration metadataBudget, Pins pins) {
    this.config = config;
    this.services = services;
    this.instanceTypes = instanceTypes;
    this.metadataBudget = metadataBudget;
    this.pins = pins;
  }

  public void run(Progress progress, PrintStream out) throws BootException {
    Prepared prepared = new Preparation(config, services, instanceTypes, metadataBudget,
        Preparation.RepositoryCheck.REQUIRED, pins).run(new Pipeline(progress));
    new PlanPrinter(out).print(prepared);
  }
}
