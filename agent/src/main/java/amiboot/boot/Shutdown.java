package amiboot.boot;

import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.StepName;
import amiboot.state.BootRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code amiboot stop}: out of the load balancers first, then drain, then the role's stop command;
 * never the other way round, so no request reaches a stopping process. The repository is not
 * contacted.
 */
public final class Shutdown {
  private final RunContext context;

  public Shutdown(RunContext context) {
    this.context = context;
  }

  public BootReport run() throws BootException {
    return context.recorded().run("stop", this::steps);
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    try (Prepared prepared = context.preparation(Preparation.RepositoryCheck.SKIP, Pins.none()).run(pipeline)) {
      BootPlan plan = prepared.plan();
      Optional<String> current = plan.layout().currentId();
      RoleControl role = new RoleControl(prepared, context, "stop");
      String why = current.isEmpty() ? "no release is current: nothing runs" : "";
      if (plan.loadBalancers().isEmpty() || current.isEmpty()) {
        pipeline.skip(StepName.DEREGISTER, current.isEmpty() ? why : "no load_balancer for role " + plan.role());
      } else {
        pipeline.run(StepName.DEREGISTER, () -> role.deregister(plan));
        pipeline.run(StepName.DRAIN, () -> role.drain(plan));
      }
      if (current.isEmpty() || !plan.stops()) {
        pipeline.skip(StepName.STOP, current.isEmpty() ? why : "no stop command for role " + plan.role());
      } else if (plan.supervised().isPresent() && context.supervision().isEmpty()) {
        // the workers live and die with amiboot start: with none running, nothing runs to stop
        pipeline.skip(StepName.STOP, "no amiboot start runs, so no " + plan.role() + " workers do");
      } else {
        BootPlan running = prepared.planFor(current.get());
        CommonSteps.describe(record, running, current.get());
        pipeline.run(StepName.STOP, () -> role.stopOrFail(running, current.get()));
      }
      String release = current.orElse("none");
      return new BootReport(plan, release, current.map(id -> CommonSteps.revisionOf(plan, id)).orElse("none"), Optional.empty(),
          context.since(started));
    }
  }
}
