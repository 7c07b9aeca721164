package amiboot.boot;

import amiboot.deploy.BuiltRelease;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import amiboot.state.BootRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code amiboot deploy}: a new release on a running instance. The release is built first, beside
 * the running one, so the instance leaves its load balancers only for stop, switch, start and
 * health, and a repository that fails takes nothing out of service. Then: deregister, drain,
 * stop, switch, start, health, register; and back to the previous good release if the new one
 * never becomes healthy.
 */
public final class Redeploy {
  private final RunContext context;
  private final Pins pins;

  public Redeploy(RunContext context, Pins pins) {
    this.context = context;
    this.pins = pins;
  }

  public BootReport run() throws BootException {
    return context.recorded().run("deploy", this::steps);
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    try (Prepared prepared = context.preparation(Preparation.RepositoryCheck.REQUIRED, pins).run(pipeline)) {
      BootPlan plan = prepared.plan();
      CommonSteps.requireSupervisionIfNeeded(plan, context.supervision());
      CommonSteps.describe(record, plan, plan.layout().currentId().orElse(plan.releaseId()));
      CommonSteps.hosts(pipeline, plan);
      BuiltRelease built = CommonSteps.build(pipeline, prepared);

      Rollout.Result result = new Rollout(prepared, new RoleControl(prepared, context, "deploy"), pipeline).newRelease(built);
      String revision = result.wentBack() ? CommonSteps.revisionOf(plan, result.servedId()) : built.revision().id();
      CommonSteps.describe(record, plan, result.servedId());
      record.put("revision", revision);
      CommonSteps.failIfWentBack(result, plan);
      return new BootReport(plan, result.servedId(), revision, Optional.empty(),
          context.since(started));
    }
  }
}
