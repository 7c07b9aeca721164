package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.Progress;
import amiboot.pipeline.StepName;
import amiboot.process.InstanceTypes;
import amiboot.state.BootRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code amiboot stop}: out of the load balancers first, then drain, then the role's stop command;
 * never the other way round, so no request reaches a stopping process. The repository is not
 * contacted.
 */
public final class Shutdown {
  private final AgentConfig config;
  private final Services services;
  private final Progress progress;
  private final InstanceTypes instanceTypes;
  private final Duration metadataBudget;
  private final Optional<Supervision> supervision;

  public Shutdown(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes, Duration metadataBudget) {
    this(config, services, progress, instanceTypes, metadataBudget, Optional.empty());
  }

  /** {@code supervision}: present in {@code amiboot start}, which owns a run: role's workers. */
  public Shutdown(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes, Duration metadataBudget,
      Optional<Supervision> supervision) {
    this.config = config;
    this.services = services;
    this.progress = progress;
    this.instanceTypes = instanceTypes;
    this.metadataBudget = metadataBudget;
    this.supervision = supervision;
  }

  public BootReport run() throws BootException {
    return new RecordedRun(config, services.clock(), progress).run("stop", this::steps);
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    Prepared prepared = new Preparation(config, services, instanceTypes, metadataBudget,
        Preparation.RepositoryCheck.SKIP, Pins.none()).run(pipeline);
    BootPlan plan = prepared.plan();
    CommonSteps.requireSupervisionIfNeeded(plan, supervision);
    Optional<String> current = plan.layout().currentId();
    RoleControl role = new RoleControl(prepared, services, supervision);
    String why = current.isEmpty() ? "no release is current: nothing runs" : "";
    if (plan.loadBalancers().isEmpty() || current.isEmpty()) {
      pipeline.skip(StepName.DEREGISTER, current.isEmpty() ? why : "no load_balancer for role " + plan.role());
    } else {
      pipeline.run(StepName.DEREGISTER, () -> role.deregister(plan));
      pipeline.run(StepName.DRAIN, () -> role.drain(plan));
    }
    if (current.isEmpty() || !plan.stops()) {
      pipeline.skip(StepName.STOP, current.isEmpty() ? why : "no stop command for role " + plan.role());
    } else {
      BootPlan running = prepared.planFor(current.get());
      CommonSteps.describe(record, running, current.get());
      pipeline.run(StepName.STOP, () -> role.stopOrFail(running, current.get()));
    }
    String release = current.orElse("none");
    return new BootReport(plan, release, current.map(id -> CommonSteps.revisionOf(plan, id)).orElse("none"), Optional.empty(),
        Duration.between(started, services.clock().instant()));
  }
}
