package amiboot.boot;

import amiboot.deploy.BuiltRelease;
import amiboot.deploy.Release;
import amiboot.deploy.Releases;
import amiboot.hosts.HostsEntry;
import amiboot.hosts.HostsUpdate;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import amiboot.state.BootRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;

/** Steps and records that boot, deploy and rollback share. */
final class CommonSteps {
  private CommonSteps() {}

  static void hosts(Pipeline pipeline, BootPlan plan) throws BootException {
    if (plan.hosts().isEmpty()) {
      pipeline.skip(StepName.HOSTS, "no hosts: entries in the config");
      return;
    }
    pipeline.run(StepName.HOSTS, () -> {
      HostsUpdate.Change change = HostsUpdate.apply(plan.hostsFile(), plan.hosts());
      String entries = plan.hosts().stream().map(HostsEntry::render).collect(Collectors.joining(", "));
      return change.changed()
          ? StepOutcome.ok(null, plan.hostsFile() + ": " + entries)
          : StepOutcome.unchanged(null, plan.hostsFile() + " already has " + entries);
    });
  }

  static BuiltRelease build(Pipeline pipeline, Prepared prepared) throws BootException {
    return pipeline.run(StepName.DEPLOY, () -> buildOutcome(prepared));
  }

  /** The deploy step's work: the new release, built complete beside the running one. */
  static StepOutcome<BuiltRelease> buildOutcome(Prepared prepared) throws BootException {
    BootPlan plan = prepared.plan();
    BuiltRelease built = prepared.changes().build(plan.releaseId());
    return StepOutcome.ok(built, plan.source().type().label() + " " + built.revision().id() + " ("
        + built.revision().source() + ") -> " + built.dir() + built.revision().notice().map(n -> "; " + n).orElse(""));
  }

  /** A run: role's workers live in the amiboot start process; without one, nothing can start or stop them. */
  static BadInputException notSupervising(BootPlan plan) {
    return new BadInputException("role " + plan.role() + " has a run: command (a foreground process amiboot supervises) "
        + "and no amiboot start is running: use amiboot start (the init script and the systemd unit run it); "
        + "deploy and rollback then restart its workers through it");
  }

  /** Checked after the config step, before anything changes. */
  static void requireSupervisionIfNeeded(BootPlan plan, Optional<Supervision> supervision) throws BadInputException {
    if (plan.supervised().isPresent() && supervision.isEmpty()) {
      throw notSupervising(plan);
    }
  }

  /** Ends a run whose release failed and that went back to the one before: saying where the instance is now. */
  static void failIfWentBack(Rollout.Result result, BootPlan plan) throws BootException {
    if (result.wentBack()) {
      BootException e = result.failure().orElseThrow();
      String what = e instanceof AppFailedException ? " never became healthy (" : " could not be put into service (";
      String marked = e instanceof AppFailedException ? "; it is marked failed, and release " : "; release ";
      String registered = plan.loadBalancers().isPresent() ? " and registered" : "";
      throw BootException.sameKind(e, "release " + result.failedId().orElseThrow() + what + e.getMessage() + ")" + marked
          + result.servedId() + " is current again, healthy" + registered);
    }
  }

  /** The revision in a release's REVISION file, for the record. */
  static String revisionOf(BootPlan plan, String releaseId) {
    try {
      return new Releases(plan.layout()).find(releaseId).flatMap(Release::revision).orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  static void describe(BootRecord record, BootPlan plan, String releaseId) {
    InstanceIdentity id = plan.instance();
    ObjectNode instance = record.object("instance");
    instance.put("id", id.instanceId());
    instance.put("type", id.instanceType());
    instance.put("availability_zone", id.availabilityZone());
    instance.put("region", id.region());
    record.put("role", plan.role());
    plan.workers().ifPresent(w -> record.put("workers", w.count()).put("workers_reason", w.reason()));
    record.put("supervised", plan.supervised().isPresent()); // status: who runs the role's processes
    record.put("deploy_to", plan.layout().deployTo().toString());
    record.put("release", releaseId);
    record.put("release_dir", plan.layout().release(releaseId).toString());
  }
}
