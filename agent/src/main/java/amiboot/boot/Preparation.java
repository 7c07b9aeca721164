package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.config.UserData;
import amiboot.asuser.AsUserChanges;
import amiboot.deploy.Deployer;
import amiboot.deploy.InProcessChanges;
import amiboot.deploy.ReleaseChanges;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.Revision;
import amiboot.deploy.SourceRepository;
import amiboot.io.Closeables;
import amiboot.metadata.InstanceIdentity;
import amiboot.metadata.InstanceMetadata;
import amiboot.metadata.MetadataSnapshot;
import amiboot.metadata.RawUserData;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.PollBudget;
import amiboot.pipeline.Retry;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import amiboot.pipeline.UnavailableException;
import amiboot.process.InstanceTypes;
import amiboot.process.RunAs;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The metadata and config steps, shared by {@code boot} and {@code plan}. They only read; every
 * check that can fail on bad input happens here, so a bad boot stops before its first change.
 */
final class Preparation {
  /** What the config step does with the repository. */
  enum RepositoryCheck {
    /** Reach it; unreachable fails the step (deploy, plan). */
    REQUIRED,
    /** Reach it; unreachable with a current release on the box means serve that one (boot). */
    OR_SERVE_CURRENT,
    /** Leave it alone (rollback: the releases are on the box). */
    SKIP
  }


  private final AgentConfig config;
  private final Services services;
  private final InstanceTypes instanceTypes;
  private final Duration metadataBudget;

  private final RepositoryCheck repositoryCheck;
  private final Pins pins;

  Preparation(AgentConfig config, Services services, InstanceTypes instanceTypes, Duration metadataBudget) {
    this(config, services, instanceTypes, metadataBudget, RepositoryCheck.REQUIRED, Pins.none());
  }

  Preparation(AgentConfig config, Services services, InstanceTypes instanceTypes, Duration metadataBudget,
      RepositoryCheck repositoryCheck, Pins pins) {
    this.config = config;
    this.services = services;
    this.instanceTypes = instanceTypes;
    this.metadataBudget = metadataBudget;
    this.repositoryCheck = repositoryCheck;
    this.pins = pins;
  }

  Prepared run(Pipeline pipeline) throws BootException {
    MetadataSnapshot metadata = pipeline.run(StepName.METADATA, this::readMetadata);
    return pipeline.run(StepName.CONFIG, () -> resolve(metadata));
  }

  private StepOutcome<MetadataSnapshot> readMetadata() throws BootException {
    InstanceMetadata source = services.metadata(metadataBudget);
    try {
      MetadataSnapshot snapshot = source.read();
      InstanceIdentity id = snapshot.identity();
      String userData = snapshot.userData().map(RawUserData::toString).orElse("no user-data");
      return StepOutcome.ok(snapshot, id.instanceId() + " " + id.instanceType() + " " + id.availabilityZone()
          + " " + id.localIpv4() + ", " + userData);
    } finally {
      Closeables.closeQuietly(source);
    }
  }

  private StepOutcome<Prepared> resolve(MetadataSnapshot metadata) throws BootException {
    UserData userData;
    try {
      userData = metadata.userData().isPresent() ? UserData.parse(metadata.userData().get()) : UserData.empty();
    } catch (UserData.UserDataException e) {
      throw new BadInputException("user-data rejected: " + e.getMessage()
          + "; give KEY=VALUE pairs (DB=10.126.17.1;ROLE=app) or a YAML mapping");
    }
    ReleaseLayout layout = new ReleaseLayout(config.deployTo());
    String releaseId;
    try {
      releaseId = layout.nextReleaseId(services.clock());
    } catch (IOException e) {
      throw new CannotWriteException("cannot read the releases (" + layout.releases() + "): " + e.getMessage(), e);
    }
    PlanResolver resolver = new PlanResolver(instanceTypes);
    BootPlan plan = resolver.resolve(config, metadata.identity(), userData, releaseId, pins);
    RunAs runAs = RunAs.resolve(config.user());
    SourceRepository source = services.source(plan.source(), layout.repoCache());
    Deployer deployer = new Deployer(layout, plan.shared(), plan.keepReleases(), services.clock());
    ReleaseChanges changes = runAs.account().isPresent()
        ? AsUserChanges.of(runAs, layout, plan.shared(), plan.keepReleases(), plan.source(), config.stateDir().resolve("repo"))
        : new InProcessChanges(deployer, source);
    Prepared.Replanner replan = id -> resolver.resolve(config, metadata.identity(), userData, id, pins);
    String workers = plan.workers().map(w -> ", " + w.count() + " workers (" + w.reason() + ")").orElse("");
    String summary = "role " + plan.role() + workers + ", user-data: " + userData.format()
        + (userData.isEmpty() ? "" : " " + userData.values().keySet());
    if (repositoryCheck == RepositoryCheck.SKIP) {
      return StepOutcome.ok(new Prepared(metadata, plan, runAs, source, deployer, changes, Optional.empty(), Optional.empty(), replan),
          summary);
    }
    deployer.checkSharedFiles();
    try {
      Revision upstream = reach(source);
      return StepOutcome.ok(new Prepared(metadata, plan, runAs, source, deployer, changes, Optional.of(upstream), Optional.empty(),
          replan), summary + ", release " + releaseId + ", repository at " + upstream.id());
    } catch (UnavailableException e) {
      Optional<String> current = layout.currentId();
      // Only an outage: a repository that does not exist (a wrong url, a token without access) is
      // the config's problem, and serving the old release would hide it on every boot.
      if (repositoryCheck != RepositoryCheck.OR_SERVE_CURRENT || current.isEmpty() || !e.worthRetrying()) {
        throw e;
      }
      return StepOutcome.ok(new Prepared(metadata, plan, runAs, source, deployer, changes, Optional.empty(),
          Optional.of(e.getMessage()), replan), summary + "; " + e.getMessage() + ": serving release " + current.get());
    }
  }

  /**
   * Reaches the repository now (credentials, branch, tag) so that a bad one stops the boot before
   * the first change; at boot the network may need a moment, so it gets a short retry budget.
   */
  private Revision reach(SourceRepository source) throws BootException {
    return Retry.whileUnavailable(
        new PollBudget(services.clock(), services.sleeper(), config.repository().timeout(), Duration.ofSeconds(1), Duration.ofSeconds(8)),
        source::peek);
  }

}
