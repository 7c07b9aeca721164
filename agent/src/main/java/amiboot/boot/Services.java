package amiboot.boot;

import amiboot.deploy.SourceRepository;
import amiboot.deploy.SourceSpec;
import amiboot.health.HealthProbe;
import amiboot.lb.LoadBalancer;
import amiboot.metadata.InstanceMetadata;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Sleeper;
import amiboot.process.CommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The external systems a boot talks to, each created only when the step that needs it runs. */
public interface Services {
  InstanceMetadata metadata(Duration budget);

  LoadBalancer loadBalancer(String region);

  SourceRepository source(SourceSpec spec, Path repoCache) throws BootException;

  HealthProbe healthProbe();

  CommandRunner commands();

  Clock clock();

  Sleeper sleeper();
}
