package amiboot.boot;

import amiboot.deploy.BuiltRelease;
import amiboot.deploy.Deployment;
import amiboot.deploy.Release;
import amiboot.deploy.ReleaseStatus;
import amiboot.deploy.Releases;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a release into service on this instance: stop what runs, switch current, start, health
 * check, and mark the release good. When it never becomes healthy, it is marked failed and the
 * instance goes back to the last good release (stop, switch, start, health), so that current
 * always points at a release that served.
 */
final class Rollout {
  private final Prepared prepared;
  private final RoleControl role;
  private final Pipeline pipeline;

  Rollout(Prepared prepared, RoleControl role, Pipeline pipeline) {
    this.prepared = prepared;
    this.role = role;
    this.pipeline = pipeline;
  }

  /** Where the rollout ended: the release it served, or the one it went back to after {@code failure}. */
  record Result(String servedId, Optional<String> failedId, Optional<AppFailedException> failure) {
    boolean rolledBack() {
      return failure.isPresent();
    }
  }

  /** A new release, just built. */
  Result newRelease(BuiltRelease built) throws BootException {
    Optional<String> wasCurrent = prepared.plan().layout().currentId();
    return rollOut(built.id(), wasCurrent, () -> {
      Deployment d = prepared.deployer().activate(built, System.getProperty("user.name"));
      String pruned = d.pruned().isEmpty() ? "" : ", pruned " + String.join(" ", d.pruned());
      return "current -> " + d.releaseDir() + d.previous().map(p -> " (was " + p + ")").orElse("") + pruned;
    });
  }

  /** An existing release (a rollback, or a boot that serves current because the repository is unreachable). */
  Result existing(String releaseId, String why) throws BootException {
    Optional<String> wasCurrent = prepared.plan().layout().currentId();
    if (wasCurrent.filter(releaseId::equals).isPresent()) {
      return rollOut(releaseId, wasCurrent, () -> "current already -> " + prepared.plan().layout().release(releaseId));
    }
    return rollOut(releaseId, wasCurrent, () -> {
      prepared.deployer().switchTo(releaseId, why);
      return "current -> " + prepared.plan().layout().release(releaseId) + wasCurrent.map(p -> " (was " + p + ")").orElse("");
    });
  }

  @FunctionalInterface
  private interface Switch {
    String run() throws BootException;
  }

  private Result rollOut(String targetId, Optional<String> wasCurrent, Switch switchCurrent) throws BootException {
    BootPlan plan = prepared.planFor(targetId);
    try {
      stop(wasCurrent);
      pipeline.run(StepName.SWITCH, () -> StepOutcome.ok(null, switchCurrent.run()));
      startAndCheck(plan);
      prepared.deployer().mark(targetId, ReleaseStatus.GOOD);
      return new Result(targetId, Optional.empty(), Optional.empty());
    } catch (AppFailedException e) {
      prepared.deployer().mark(targetId, ReleaseStatus.FAILED);
      Release fallback = fallback(targetId, wasCurrent).orElseThrow(() -> new AppFailedException(
          "release " + targetId + " failed: " + e.getMessage() + "; no good release to go back to", e));
      pipeline.run(StepName.ROLLBACK, () -> goBack(targetId, fallback, e));
      return new Result(fallback.id(), Optional.of(targetId), Optional.of(e));
    }
  }

  private void stop(Optional<String> running) throws BootException {
    BootPlan plan = prepared.plan();
    if (running.isEmpty()) {
      pipeline.skip(StepName.STOP, "no release is current yet: nothing to stop");
    } else if (plan.stop().isEmpty()) {
      pipeline.skip(StepName.STOP, "no stop command for role " + plan.role());
    } else {
      pipeline.run(StepName.STOP, () -> role.stop(prepared.planFor(running.get()), running.get()));
    }
  }

  private void startAndCheck(BootPlan plan) throws BootException {
    if (plan.start().isEmpty()) {
      pipeline.skip(StepName.START, "no start command for role " + plan.role());
    } else {
      pipeline.run(StepName.START, () -> role.start(plan));
    }
    if (plan.health().isEmpty()) {
      pipeline.skip(StepName.HEALTH, "no health check for role " + plan.role());
    } else {
      pipeline.run(StepName.HEALTH, () -> role.health(plan));
    }
  }

  /** Stop the failed release, switch back, start, health: one step, since each part repeats one above. */
  private StepOutcome<Void> goBack(String failedId, Release fallback, AppFailedException why) throws BootException {
    BootPlan failed = prepared.planFor(failedId);
    BootPlan plan = prepared.planFor(fallback.id());
    List<String> done = new ArrayList<>();
    try {
      if (!failed.stop().isEmpty()) {
        done.add("stop: " + role.stop(failed, failedId).detail());
      }
      prepared.deployer().switchTo(fallback.id(), "rolled back to, release " + failedId + " never became healthy");
      done.add("current -> " + fallback.dir());
      if (!plan.start().isEmpty()) {
        done.add("start: " + role.start(plan).detail());
      }
      if (plan.health().isPresent()) {
        done.add("health: " + role.health(plan).detail());
      }
      return StepOutcome.ok(null, "release " + failedId + " failed; back to release " + fallback.id() + ": " + String.join("; ", done));
    } catch (AppFailedException e) {
      prepared.deployer().mark(fallback.id(), ReleaseStatus.FAILED);
      throw new AppFailedException("release " + failedId + " failed: " + why.getMessage() + "; going back to release "
          + fallback.id() + " failed too: " + e.getMessage(), e);
    }
  }

  /** The release to go back to: the one that was current if it is good, else the newest good one. */
  private Optional<Release> fallback(String failedId, Optional<String> wasCurrent) throws BootException {
    try {
      List<Release> good = new Releases(prepared.plan().layout()).list().stream()
          .filter(Release::good).filter(r -> !r.id().equals(failedId)).toList();
      return good.stream().filter(r -> wasCurrent.filter(r.id()::equals).isPresent()).findFirst()
          .or(() -> good.stream().findFirst());
    } catch (IOException e) {
      throw new AppFailedException("release " + failedId + " failed, and the releases cannot be listed to go back: "
          + Messages.describe(e), e);
    }
  }
}
