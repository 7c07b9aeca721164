package amiboot.boot;

import amiboot.deploy.Release;
import amiboot.deploy.Releases;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.Pipeline;
import amiboot.state.BootRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code amiboot rollback [RELEASE]}: back to the previous good release (or the one named), in
 * the same order as a deploy: deregister, drain, stop, switch, start, health, register. The
 * repository is not needed: the release is on the box.
 */
public final class Rollback {
  private final RunContext context;
  private final Optional<String> releaseId;

  public Rollback(RunContext context, Optional<String> releaseId) {
    this.context = context;
    this.releaseId = releaseId;
  }

  public BootReport run() throws BootException {
    return context.recorded().run("rollback", this::steps);
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    try (Prepared prepared = context.preparation(Preparation.RepositoryCheck.SKIP, Pins.none()).run(pipeline)) {
      Release target = target(new Releases(prepared.plan().layout()));
      BootPlan plan = prepared.planFor(target.id());
      CommonSteps.requireSupervisionIfNeeded(plan, context.supervision());
      CommonSteps.describe(record, plan, plan.layout().currentId().orElse(target.id()));

      String from = plan.layout().currentId().orElse("none");
      Rollout.Result result = new Rollout(prepared, new RoleControl(prepared, context, "rollback"), pipeline)
          .existing(target.id(), "rolled back to from " + from);
      String revision = CommonSteps.revisionOf(plan, result.servedId());
      CommonSteps.describe(record, plan, result.servedId());
      record.put("revision", revision);
      CommonSteps.failIfWentBack(result, plan);
      return new BootReport(plan, result.servedId(), revision, Optional.empty(),
          context.since(started));
    }
  }

  private Release target(Releases releases) throws BootException {
    try {
      if (releaseId.isEmpty()) {
        Optional<Release> previous = releases.previousGood();
        if (previous.isEmpty()) {
          String why = releases.indexTrouble().map(t -> ": " + t).orElse("");
          throw new BadInputException("no good release to roll back to besides current" + why
              + " (see amiboot releases); name one: amiboot rollback RELEASE");
        }
        return previous.get();
      }
      Release named = releases.find(releaseId.get()).orElseThrow(() -> new BadInputException(
          "no release " + releaseId.get() + " under " + context.config().deployTo().resolve("releases") + " (see amiboot releases)"));
      if (named.revision().isEmpty()) {
        throw new BadInputException("release " + named.id() + " is incomplete (no REVISION file): pick another (see amiboot releases)");
      }
      return named;
    } catch (IOException e) {
      throw new CannotWriteException("cannot list the releases (" + context.config().deployTo() + "): " + Messages.describe(e), e);
    }
  }
}
