package amiboot.boot;

import amiboot.config.RepositoryType;
import amiboot.deploy.GitSource;
import amiboot.deploy.SourceRepository;
import amiboot.deploy.SourceSpec;
import amiboot.deploy.SvnSource;
import amiboot.health.HealthProbe;
import amiboot.health.HttpHealthProbe;
import amiboot.lb.ClassicElb;
import amiboot.lb.LoadBalancer;
import amiboot.metadata.ImdsInstanceMetadata;
import amiboot.metadata.InstanceMetadata;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Sleeper;
import amiboot.process.CommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The real systems: the SDK's metadata and ELB clients, JGit, SVNKit, zt-exec, the JDK HTTP client. */
public final class ProductionServices implements Services {
  @Override
  public InstanceMetadata metadata(Duration budget) {
    return ImdsInstanceMetadata.create(budget);
  }

  @Override
  public LoadBalancer loadBalancer(String region) {
    return ClassicElb.inRegion(region);
  }

  @Override
  public SourceRepository source(SourceSpec spec, Path repoCache) throws BootException {
    return spec.type() == RepositoryType.GIT ? new GitSource(spec, repoCache) : new SvnSource(spec);
  }

  @Override
  public HealthProbe healthProbe() {
    return new HttpHealthProbe();
  }

  @Override
  public CommandRunner commands() {
    return new CommandRunner();
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Sleeper sleeper() {
    return Sleeper.SYSTEM;
  }
}
