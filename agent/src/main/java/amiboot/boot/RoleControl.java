package amiboot.boot;

import amiboot.config.DurationText;
import amiboot.health.HealthWait;
import amiboot.io.Closeables;
import amiboot.lb.LoadBalancer;
import amiboot.lb.Registration;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.StepOutcome;
import amiboot.pipeline.StepStatus;
import amiboot.pipeline.UnavailableException;
import amiboot.process.CommandRunner;
import amiboot.process.LeftoverProcesses;
import amiboot.state.MembershipStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The role on this instance: its stop and start commands, its health check, its load balancers. */
final class RoleControl {
  private final Prepared prepared;
  private final Services services;
  private final Optional<Supervision> supervision;
  private final MembershipStore membership;
  private final String command;

  /** {@code command}: the run (boot, deploy, ...), for the membership record. */
  RoleControl(Prepared prepared, RunContext context, String command) {
    this.prepared = prepared;
    this.services = context.services();
    this.supervision = context.supervision();
    this.membership = new MembershipStore(context.config().stateDir());
    this.command = command;
  }

  /**
   * Runs the stop command while current still points at the running release. Its failure is
   * reported, not fatal: after a reboot nothing runs, and the start that follows says whether the
   * app came up.
   */
  StepOutcome<Void> stop(BootPlan plan, String running) {
    try {
      return stopOrFail(plan, running);
    } catch (BootException e) {
      return new StepOutcome<>(null, StepStatus.UNCHANGED, "release " + running + ": stop failed, ignored (" + e.getMessage() + ")");
    }
  }

  /**
   * The processes the old release's pid files named before its stop, ended if they still run:
   * the next start must not find the old server on its port, nor its health check pass on the old
   * server's answer.
   */
  private static Optional<String> endLeftovers(LeftoverProcesses old) {
    try {
      return old.end(LEFTOVER_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for the old processes to exit");
    }
  }

  /** How long the old release's processes get after its stop command, and again after SIGTERM. */
  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(5);

  private static Path pidDir(BootPlan plan) {
    return plan.layout().shared().resolve("tmp/pids");
  }

  /** The stop command, whose failure is the run's failure ({@code amiboot stop}: the operator asked for it). */
  StepOutcome<Void> stopOrFail(BootPlan plan, String running) throws BootException {
    if (plan.supervised().isPresent()) {
      try {
        return StepOutcome.ok(null, "release " + running + ": " + supervision().stop(plan.supervised().get().stopTimeout()));
      } catch (IOException e) {
        throw supervisorUnreachable(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while stopping the workers");
      }
    }
    LeftoverProcesses old = LeftoverProcesses.named(pidDir(plan), prepared.runAs());
    CommandRunner.Result result;
    try {
      result = services.commands().run("stop", prepared.runAs(), plan.stop(), plan.layout().current(), env(plan),
          log(plan), plan.startTimeout());
    } catch (BootException e) {
      throw BootException.sameKind(e, e.getMessage() + endLeftovers(old).map(left -> "; " + left).orElse(""));
    }
    return StepOutcome.ok(null, "release " + running + ": " + PlanPrinter.argv(plan.stop()) + " exited " + result.exitCode()
        + endLeftovers(old).map(left -> "; " + left).orElse(""));
  }

  StepOutcome<Void> start(BootPlan plan) throws BootException {
    if (plan.supervised().isPresent()) {
      try {
        return StepOutcome.ok(null, supervision().start(plan, env(plan), prepared.runAs()) + ", " + prepared.runAs().note());
      } catch (IOException e) {
        throw supervisorUnreachable(e);
      }
    }
    var result = services.commands().run("start", prepared.runAs(), plan.start(), plan.layout().current(), env(plan),
        log(plan), plan.startTimeout());
    String workers = plan.workers().map(w -> ", " + w.count() + " workers").orElse("");
    return StepOutcome.ok(null, PlanPrinter.argv(plan.start()) + " exited " + result.exitCode() + workers + ", "
        + prepared.runAs().note() + ", output in " + log(plan));
  }

  StepOutcome<Void> health(BootPlan plan) throws BootException {
    BootPlan.Health health = plan.health().orElseThrow();
    return StepOutcome.ok(null, new HealthWait(services.healthProbe(), services.clock(), services.sleeper())
        .await(health.url(), health.expect(), health.timeout()));
  }

  StepOutcome<Void> register(BootPlan plan) throws BootException {
    BootPlan.LoadBalancers lbs = plan.loadBalancers().orElseThrow();
    LoadBalancer loadBalancer = services.loadBalancer(plan.instance().region());
    try {
      String done = new Registration(loadBalancer, services.clock(), services.sleeper())
          .register(lbs.classic(), plan.instance().instanceId(), lbs.waitInService(), lbs.inServiceTimeout());
      membership.recordQuietly(plan.instance().instanceId(), lbs.classic(),
          lbs.waitInService() ? MembershipStore.State.IN_SERVICE : MembershipStore.State.REGISTERED, services.clock().instant(), command);
      return StepOutcome.ok(null, done);
    } finally {
      Closeables.closeQuietly(loadBalancer);
    }
  }

  /** Takes the instance out of its load balancers, all or nothing, before any process is stopped. */
  StepOutcome<Void> deregister(BootPlan plan) throws BootException {
    BootPlan.LoadBalancers lbs = plan.loadBalancers().orElseThrow();
    LoadBalancer loadBalancer = services.loadBalancer(plan.instance().region());
    try {
      String done = new Registration(loadBalancer, services.clock(), services.sleeper())
          .deregister(lbs.classic(), plan.instance().instanceId());
      membership.recordQuietly(plan.instance().instanceId(), lbs.classic(), MembershipStore.State.DEREGISTERED,
          services.clock().instant(), command);
      return StepOutcome.ok(null, done);
    } finally {
      Closeables.closeQuietly(loadBalancer);
    }
  }

  /** Lets requests already in flight finish before the processes are stopped. */
  StepOutcome<Void> drain(BootPlan plan) throws BootException {
    Duration drain = plan.loadBalancers().orElseThrow().drain();
    try {
      services.sleeper().sleep(drain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while draining");
    }
    return StepOutcome.ok(null, "waited " + DurationText.format(drain) + " (load_balancer.drain) for requests in flight");
  }

  private static UnavailableException supervisorUnreachable(IOException e) {
    return new UnavailableException("amiboot start, which supervises the workers, did not answer (" + e.getMessage()
        + "): check the amiboot service (its log), then run again", e);
  }

  private Supervision supervision() throws BadInputException {
    return supervision.orElseThrow(() -> CommonSteps.notSupervising(prepared.plan()));
  }

  private Map<String, String> env(BootPlan plan) {
    Map<String, String> env = new HashMap<>(prepared.runAs().identityEnv());
    env.put("AMIBOOT_ROLE", plan.role());
    env.put("AMIBOOT_RELEASE", plan.releaseDir().toString());
    plan.workers().ifPresent(w -> env.put("AMIBOOT_WORKERS", Integer.toString(w.count())));
    env.putAll(plan.env());
    return env;
  }

  private static Path log(BootPlan plan) {
    return plan.layout().shared().resolve("log").resolve(plan.role() + "-start.log");
  }
}
