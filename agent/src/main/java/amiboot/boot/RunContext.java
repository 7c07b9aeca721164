package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.pipeline.Progress;
import amiboot.process.InstanceTypes;
import java.time.Duration;
import java.time.Instant;

/**
 * What every command that reads the box's metadata runs with: the config, the external systems,
 * where step results go, the instance-type table and how long to wait for the metadata service.
 */
public record RunContext(AgentConfig config, Services services, Progress progress, InstanceTypes instanceTypes,
    Duration metadataBudget) {

  Preparation preparation(Preparation.RepositoryCheck repositoryCheck, Pins pins) {
    return new Preparation(config, services, instanceTypes, metadataBudget, repositoryCheck, pins);
  }

  /** Under the lock, recorded in state.json. */
  RecordedRun recorded() {
    return new RecordedRun(config, services.clock(), progress);
  }

  Duration since(Instant started) {
    return Duration.between(started, services.clock().instant());
  }
}
