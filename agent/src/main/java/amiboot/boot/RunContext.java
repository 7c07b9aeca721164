package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.pipeline.Progress;
import amiboot.process.InstanceTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What every command that reads the box's metadata runs with: the config, the external systems,
 * where step results go, the instance-type table, how long to wait for the metadata service, who
 * supervises a run: role's workers (empty when no {@code amiboot start} runs), and how long to wait
 * for another amiboot's lock (zero: fail at once, naming the holder).
 */
public record RunContext(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes,
    Duration metadataBudget, Optional<Supervision> supervision, Duration lockWait) {

  public RunContext(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes,
      Duration metadataBudget) {
    this(config, services, progress, instanceTypes, metadataBudget, Optional.empty(), Duration.ZERO);
  }

  public RunContext withSupervision(Supervision supervising) {
    return new RunContext(config, services, progress, instanceTypes, metadataBudget, Optional.of(supervising), lockWait);
  }

  public RunContext withLockWait(Duration wait) {
    return new RunContext(config, services, progress, instanceTypes, metadataBudget, supervision, wait);
  }

  Preparation preparation(Preparation.RepositoryCheck repositoryCheck, Pins pins) {
    return new Preparation(config, services, instanceTypes, metadataBudget, repositoryCheck, pins);
  }

  /** Under the lock, recorded in state.json. */
  RecordedRun recorded() {
    // The process's stderr, not a command's: only a signal, which ends the whole process, writes there.
    return new RecordedRun(config, services.clock(), services.sleeper(), progress, lockWait, System.err);
  }

  Duration since(Instant started) {
    return Duration.between(started, services.clock().instant());
  }
}
