package amiboot.boot;

import amiboot.deploy.BuiltRelease;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.DiskFull;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import amiboot.pipeline.StepStatus;
import amiboot.pipeline.UnavailableException;
import amiboot.state.BootRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * The boot: lock, metadata, config, hosts, deploy, then the rollout (deregister and drain when a
 * release is in service, stop, switch, start, health, register, prune), record.
 * When the repository cannot be reached, or deploy_to is too full for a new release, and a release
 * is already on the box (a reboot during an outage, a disk filled by logs), the boot serves that
 * release and records itself as degraded rather than leave the instance out of service.
 */
public final class Boot {
  private final RunContext context;

  public Boot(RunContext context) {
    this.context = context;
  }

  public BootReport run() throws BootException {
    return context.recorded().run("boot", RecordedRun.FullStateDir.DEGRADES, this::steps);
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    try (Prepared prepared = context.preparation(Preparation.RepositoryCheck.OR_SERVE_CURRENT, Pins.none()).run(pipeline)) {
      BootPlan plan = prepared.plan();
      CommonSteps.requireSupervisionIfNeeded(plan, context.supervision());
      CommonSteps.describe(record, plan, plan.layout().currentId().orElse(plan.releaseId()));
      CommonSteps.hosts(pipeline, plan);

      Optional<String> degraded = prepared.degraded();
      Optional<BuiltRelease> built = Optional.empty();
      if (degraded.isEmpty()) {
        Deployed deployed = buildOrServeCurrent(pipeline, prepared);
        built = deployed.built();
        degraded = deployed.degraded();
      } else {
        pipeline.skip(StepName.DEPLOY, degraded.get() + ": serving release " + plan.layout().currentId().orElseThrow());
      }

      RoleControl role = new RoleControl(prepared, context, "boot");
      Rollout rollout = new Rollout(prepared, role, pipeline);
      Rollout.Result result = built.isPresent() ? rollout.newRelease(built.get())
          : rollout.existing(plan.layout().currentId().orElseThrow(), "served again at boot: " + degraded.orElseThrow());
      String revision = built.filter(b -> b.id().equals(result.servedId())).map(b -> b.revision().id())
          .orElseGet(() -> CommonSteps.revisionOf(plan, result.servedId()));
      CommonSteps.describe(record, plan, result.servedId());
      record.put("revision", revision);
      CommonSteps.failIfWentBack(result, plan);
      return new BootReport(plan, result.servedId(), revision, degraded, context.since(started));
    }
  }

  /**
   * The deploy step; when the repository became unreachable after the config step reached it and
   * a release is current, that release is served instead (the step says so, and the boot is degraded).
   */
  private Deployed buildOrServeCurrent(Pipeline pipeline, Prepared prepared) throws BootException {
    Optional<String> current = prepared.plan().layout().currentId();
    return pipeline.run(StepName.DEPLOY, () -> {
      try {
        StepOutcome<BuiltRelease> built = CommonSteps.buildOutcome(prepared);
        return new StepOutcome<>(new Deployed(Optional.of(built.value()), Optional.empty()), built.status(), built.detail());
      } catch (UnavailableException e) {
        if (current.isEmpty() || !e.worthRetrying()) {
          throw e;
        }
        return servingCurrent(e.getMessage(), current.get());
      } catch (CannotWriteException e) {
        // a full deploy_to leaves no room for a new release, not for the one already there
        if (current.isEmpty() || !DiskFull.causedBy(e)) {
          throw e;
        }
        return servingCurrent("disk full at step deploy: " + e.getMessage(), current.get());
      }
    });
  }

  private static StepOutcome<Deployed> servingCurrent(String reason, String current) {
    return new StepOutcome<>(new Deployed(Optional.empty(), Optional.of(reason)), StepStatus.SKIPPED,
        reason + ": serving release " + current);
  }

  /** The deploy step's result: a new release, or why there is none. */
  private record Deployed(Optional<BuiltRelease> built, Optional<String> degraded) {}
}
