package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.deploy.Deployment;
import amiboot.health.HealthWait;
import amiboot.io.Closeables;
import amiboot.hosts.HostsEntry;
import amiboot.hosts.HostsUpdate;
import amiboot.lb.LoadBalancer;
import amiboot.lb.Registration;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.BootException;
import amiboot.pipeline.BootLock;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.Progress;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import amiboot.process.InstanceTypes;
import amiboot.state.BootRecord;
import amiboot.state.StateStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The boot: lock, metadata, config, hosts, deploy, start, health, register, record. */
public final class Boot {
  private final AgentConfig config;
  private final Services services;
  private final Progress progress;
  private final InstanceTypes instanceTypes;
  private final Duration metadataBudget;

  public Boot(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes, Duration metadataBudget) {
    this.config = config;
    this.services = services;
    this.progress = progress;
    this.instanceTypes = instanceTypes;
    this.metadataBudget = metadataBudget;
  }

  public BootReport run() throws BootException {
    Pipeline pipeline = new Pipeline(progress);
    Instant started = services.clock().instant();
    BootLock lock = pipeline.run(StepName.LOCK, () -> StepOutcome.ok(BootLock.acquire(config.stateDir()),
        config.stateDir().resolve("amiboot.lock") + " (pid " + ProcessHandle.current().pid() + ")"));
    StateStore state = new StateStore(config.stateDir());
    BootRecord record = new BootRecord(state.newDocument(), "boot", started);
    try (lock) {
      BootReport report;
      try {
        report = steps(pipeline, record, started);
      } catch (BootException | RuntimeException e) {
        recordQuietly(pipeline, state, record, started, e.getMessage());
        throw e;
      }
      pipeline.run(StepName.RECORD, () -> {
        state.write(finish(pipeline, record, started, null));
        return StepOutcome.ok(null, state.file().toString());
      });
      return report;
    }
  }

  private BootReport steps(Pipeline pipeline, BootRecord record, Instant started) throws BootException {
    Prepared prepared = new Preparation(config, services, instanceTypes, metadataBudget).run(pipeline);
    BootPlan plan = prepared.plan();
    describe(record, plan);

    if (plan.hosts().isEmpty()) {
      pipeline.skip(StepName.HOSTS, "no hosts: entries in the config");
    } else {
      pipeline.run(StepName.HOSTS, () -> writeHosts(plan));
    }

    Deployment deployment = pipeline.run(StepName.DEPLOY, () -> {
      Deployment d = prepared.deployer().deploy(prepared.source(), plan.releaseId(), System.getProperty("user.name"));
      String pruned = d.pruned().isEmpty() ? "" : ", pruned " + String.join(" ", d.pruned());
      return StepOutcome.ok(d, plan.source().type().label() + " " + d.revision().id() + " (" + d.revision().source()
          + ") -> " + d.releaseDir() + pruned);
    });
    record.put("revision", deployment.revision().id());

    if (plan.start().isEmpty()) {
      pipeline.skip(StepName.START, "no start command for role " + plan.role());
    } else {
      pipeline.run(StepName.START, () -> start(prepared, deployment));
    }

    if (plan.health().isEmpty()) {
      pipeline.skip(StepName.HEALTH, "no health check for role " + plan.role());
    } else {
      BootPlan.Health health = plan.health().get();
      pipeline.run(StepName.HEALTH, () -> StepOutcome.ok(null,
          new HealthWait(services.healthProbe(), services.clock(), services.sleeper())
              .await(health.url(), health.expect(), health.timeout())));
    }

    if (plan.loadBalancers().isEmpty()) {
      pipeline.skip(StepName.REGISTER, "no load_balancer for role " + plan.role());
    } else {
      pipeline.run(StepName.REGISTER, () -> register(plan));
    }
    return new BootReport(plan, deployment, Duration.between(started, services.clock().instant()));
  }

  private static StepOutcome<Void> writeHosts(BootPlan plan) throws BootException {
    HostsUpdate.Change change = HostsUpdate.apply(plan.hostsFile(), plan.hosts());
    String entries = plan.hosts().stream().map(HostsEntry::render).collect(Collectors.joining(", "));
    return change.changed()
        ? StepOutcome.ok(null, plan.hostsFile() + ": " + entries)
        : StepOutcome.unchanged(null, plan.hostsFile() + " already has " + entries);
  }

  /**
   * Runs the start command. When this boot replaced a release (a re-run, a reboot) and the role
   * has a stop command, that runs first, as Capistrano's restart does: the old processes must not
   * keep serving the old code. Its failure is reported, not fatal: after a reboot nothing runs.
   */
  private StepOutcome<Void> start(Prepared prepared, Deployment deployment) throws BootException {
    BootPlan plan = prepared.plan();
    Map<String, String> env = new HashMap<>(prepared.runAs().identityEnv());
    env.put("AMIBOOT_ROLE", plan.role());
    env.put("AMIBOOT_RELEASE", plan.releaseDir().toString());
    plan.workers().ifPresent(w -> env.put("AMIBOOT_WORKERS", Integer.toString(w.count())));
    env.putAll(plan.env());
    Path log = plan.layout().shared().resolve("log").resolve(plan.role() + "-start.log");
    String stopped = "";
    if (deployment.previous().isPresent() && !plan.stop().isEmpty()) {
      stopped = stopPrevious(prepared, deployment.previous().get(), env, log) + "; ";
    }
    List<String> argv = prepared.runAs().wrap(plan.start());
    var result = services.commands().run("start", argv, plan.layout().current(), env, log, plan.startTimeout());
    String workers = plan.workers().map(w -> ", " + w.count() + " workers").orElse("");
    return StepOutcome.ok(null, stopped + String.join(" ", plan.start()) + " exited " + result.exitCode() + workers
        + ", " + prepared.runAs().note() + ", output in " + log);
  }

  private String stopPrevious(Prepared prepared, String previous, Map<String, String> env, Path log) {
    BootPlan plan = prepared.plan();
    try {
      services.commands().run("stop", prepared.runAs().wrap(plan.stop()), plan.layout().current(), env, log,
          plan.startTimeout());
      return "stopped the processes of release " + previous;
    } catch (BootException e) {
      return "stop before start failed, ignored (" + e.getMessage() + ")";
    }
  }

  private StepOutcome<Void> register(BootPlan plan) throws BootException {
    BootPlan.LoadBalancers lbs = plan.loadBalancers().get();
    LoadBalancer loadBalancer = services.loadBalancer(plan.instance().region());
    try {
      String summary = new Registration(loadBalancer, services.clock(), services.sleeper())
          .register(lbs.classic(), plan.instance().instanceId(), lbs.waitInService(), lbs.inServiceTimeout());
      return StepOutcome.ok(null, summary);
    } finally {
      Closeables.closeQuietly(loadBalancer);
    }
  }

  private static void describe(BootRecord record, BootPlan plan) {
    InstanceIdentity id = plan.instance();
    ObjectNode instance = record.object("instance");
    instance.put("id", id.instanceId());
    instance.put("type", id.instanceType());
    instance.put("availability_zone", id.availabilityZone());
    instance.put("region", id.region());
    record.put("role", plan.role());
    plan.workers().ifPresent(w -> record.put("workers", w.count()).put("workers_reason", w.reason()));
    record.put("deploy_to", plan.layout().deployTo().toString());
    record.put("release", plan.releaseId());
    record.put("release_dir", plan.releaseDir().toString());
  }

  private ObjectNode finish(Pipeline pipeline, BootRecord record, Instant started, String error) {
    Instant now = services.clock().instant();
    return record.finish(now, Duration.between(started, now), pipeline.results(), error);
  }

  /** On a failed boot the failure being reported matters more than a failure to record it. */
  private void recordQuietly(Pipeline pipeline, StateStore state, BootRecord record, Instant started, String error) {
    try {
      pipeline.run(StepName.RECORD, () -> {
        state.write(finish(pipeline, record, started, error));
        return StepOutcome.ok(null, state.file().toString());
      });
    } catch (BootException | RuntimeException ignored) {
      // the record step reported its own failure on the console
    }
  }
}
