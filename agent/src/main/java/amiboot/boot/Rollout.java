package amiboot.boot;

import amiboot.deploy.BuiltRelease;
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
 * Puts a release into service on this instance: leave the load balancers and drain (when a
 * release is in service), stop it, switch current, start, health check, register, mark the
 * release good, prune. Once the old processes are stopped, any failure (the new release never
 * healthy, never InService, current that cannot be switched) takes the instance back to the
 * release that served before, so that it is not left stopped and out of service.
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
  record Result(String servedId, Optional<String> failedId, Optional<BootException> failure) {
    boolean wentBack() {
      return failure.isPresent();
    }
  }

  /** A new release, just built. If the instance cannot leave its load balancers, the release is discarded. */
  Result newRelease(BuiltRelease built) throws BootException {
    Optional<String> wasCurrent = prepared.plan().layout().currentId();
    try {
      leave(wasCurrent);
    } catch (BootException e) {
      prepared.changes().discard(built); // never current: nothing refers to it
      throw e;
    }
    return rollOut(built.id(), wasCurrent, () -> {
      String was = wasCurrent.map(p -> " (was " + p + ")").orElse("");
      return prepared.changes().activate(built, System.getProperty("user.name")) + was;
    });
  }

  /** An existing release (a rollback, or a boot that serves current because the repository is unreachable). */
  Result existing(String releaseId, String why) throws BootException {
    Optional<String> wasCurrent = prepared.plan().layout().currentId();
    prepared.changes().ready();
    leave(wasCurrent);
    if (wasCurrent.filter(releaseId::equals).isPresent()) {
      return rollOut(releaseId, wasCurrent, () -> "current already -> " + prepared.plan().layout().release(releaseId));
    }
    return rollOut(releaseId, wasCurrent, () -> {
      prepared.changes().switchTo(releaseId, why);
      return "current -> " + prepared.plan().layout().release(releaseId) + wasCurrent.map(p -> " (was " + p + ")").orElse("");
    });
  }

  @FunctionalInterface
  private interface Switch {
    String run() throws BootException;
  }

  /** Deregister and drain before anything is stopped; nothing to leave before the first release. */
  private void leave(Optional<String> wasCurrent) throws BootException {
    BootPlan plan = prepared.plan();
    if (plan.loadBalancers().isEmpty()) {
      pipeline.skip(StepName.DEREGISTER, "no load_balancer for role " + plan.role());
    } else if (wasCurrent.isEmpty()) {
      pipeline.skip(StepName.DEREGISTER, "no release is current yet: not in service");
    } else {
      pipeline.run(StepName.DEREGISTER, () -> role.deregister(plan));
      pipeline.run(StepName.DRAIN, () -> role.drain(plan));
    }
  }

  private Result rollOut(String targetId, Optional<String> wasCurrent, Switch switchCurrent) throws BootException {
    BootPlan plan = prepared.planFor(targetId);
    stop(wasCurrent);
    try {
      pipeline.run(StepName.SWITCH, () -> StepOutcome.ok(null, switchCurrent.run()));
      startAndCheck(plan);
    } catch (BootException e) {
      return goBack(targetId, wasCurrent, e);
    }
    String marked = mark(targetId, ReleaseStatus.GOOD);
    try {
      register(plan);
    } catch (AppFailedException e) {
      return goBack(targetId, wasCurrent, e); // healthy here, never InService there: the load balancer's check decides
    }
    prune(marked);
    return new Result(targetId, Optional.empty(), Optional.empty());
  }

  private void stop(Optional<String> running) throws BootException {
    BootPlan plan = prepared.plan();
    if (running.isEmpty()) {
      pipeline.skip(StepName.STOP, "no release is current yet: nothing to stop");
    } else if (!plan.stops()) {
      pipeline.skip(StepName.STOP, "no stop command for role " + plan.role());
    } else {
      pipeline.run(StepName.STOP, () -> role.stop(prepared.planFor(running.get()), running.get()));
    }
  }

  private void startAndCheck(BootPlan plan) throws BootException {
    if (!plan.starts()) {
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

  private void register(BootPlan plan) throws BootException {
    if (plan.loadBalancers().isEmpty()) {
      pipeline.skip(StepName.REGISTER, "no load_balancer for role " + plan.role());
    } else {
      pipeline.run(StepName.REGISTER, () -> role.register(plan));
    }
  }

  /**
   * After {@code cause}: mark the release failed (when the app itself failed), then stop it,
   * switch back, start, check and register the release that served before. Throws when there is
   * none, or when going back fails too, saying where current points.
   */
  private Result goBack(String failedId, Optional<String> wasCurrent, BootException cause) throws BootException {
    String marked = cause instanceof AppFailedException ? mark(failedId, ReleaseStatus.FAILED) : "";
    Optional<Release> fallback = fallback(failedId, wasCurrent);
    if (fallback.isEmpty()) {
      throw BootException.sameKind(cause, cause.getMessage() + marked + "; no earlier release to go back to: current is "
          + prepared.plan().layout().currentId().orElse("none") + " (see amiboot releases; amiboot rollback RELEASE)");
    }
    Release to = fallback.get();
    try {
      pipeline.run(StepName.ROLLBACK, () -> backTo(failedId, to));
      register(prepared.planFor(to.id()));
    } catch (BootException e) {
      throw BootException.sameKind(cause, "release " + failedId + ": " + cause.getMessage() + marked + "; going back to release "
          + to.id() + " failed too: " + e.getMessage());
    }
    prune(marked);
    return new Result(to.id(), Optional.of(failedId), Optional.of(cause));
  }

  /** Stop the failed release, switch back, start, health: one step, since each part repeats one above. */
  private StepOutcome<Void> backTo(String failedId, Release to) throws BootException {
    BootPlan failed = prepared.planFor(failedId);
    BootPlan plan = prepared.planFor(to.id());
    List<String> done = new ArrayList<>();
    if (failed.stops() && prepared.plan().layout().currentId().isPresent()) {
      done.add("stop: " + role.stop(failed, failedId).detail());
    }
    if (prepared.plan().layout().currentId().filter(to.id()::equals).isEmpty()) {
      prepared.changes().switchTo(to.id(), "went back to: release " + failedId + " failed");
    }
    done.add("current -> " + to.dir());
    if (plan.starts()) {
      done.add("start: " + role.start(plan).detail());
    }
    if (plan.health().isPresent()) {
      done.add("health: " + role.health(plan).detail());
    }
    return StepOutcome.ok(null, "release " + failedId + " failed; back to release " + to.id() + ": " + String.join("; ", done));
  }

  /**
   * The release to go back to: the one that was current unless it is marked failed (a box
   * deployed before releases were marked has none marked good), else the newest good one.
   */
  private Optional<Release> fallback(String failedId, Optional<String> wasCurrent) throws BootException {
    try {
      List<Release> complete = new Releases(prepared.plan().layout()).list().stream()
          .filter(r -> !r.id().equals(failedId) && r.revision().isPresent()).toList();
      return complete.stream().filter(r -> wasCurrent.filter(r.id()::equals).isPresent())
          .filter(r -> r.status() != ReleaseStatus.FAILED).findFirst()
          .or(() -> complete.stream().filter(Release::good).findFirst());
    } catch (IOException e) {
      throw new AppFailedException("release " + failedId + " failed, and the releases cannot be listed to go back: "
          + Messages.describe(e), e);
    }
  }

  /** Bookkeeping never takes a serving instance down: a failure to record is said, not thrown. */
  private String mark(String releaseId, ReleaseStatus status) {
    try {
      prepared.changes().mark(releaseId, status);
      return "";
    } catch (BootException e) {
      return "; " + e.getMessage();
    }
  }

  private void prune(String earlierWarning) throws BootException {
    pipeline.run(StepName.PRUNE, () -> {
      try {
        List<String> pruned = prepared.changes().prune();
        String kept = "keep_releases " + prepared.plan().keepReleases();
        return StepOutcome.ok(null, (pruned.isEmpty() ? "nothing to prune (" + kept + ")"
            : "removed " + String.join(" ", pruned) + " (" + kept + ")") + earlierWarning);
      } catch (IOException e) {
        return StepOutcome.unchanged(null, "pruning failed, ignored: " + Messages.describe(e) + earlierWarning);
      }
    });
  }
}
