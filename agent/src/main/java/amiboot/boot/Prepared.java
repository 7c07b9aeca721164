package amiboot.boot;

import amiboot.deploy.Deployer;
import amiboot.deploy.ReleaseChanges;
import amiboot.deploy.Revision;
import amiboot.deploy.SourceRepository;
import amiboot.metadata.MetadataSnapshot;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.process.RunAs;
import java.util.Optional;

/**
 * The outcome of the read-only steps (metadata, config): what to do, the means to do it ({@code
 * deployer} reads the releases, {@code changes} changes them), and the
 * repository's revision as seen then; or, for a boot that found the repository unreachable while
 * a release is on the box, why it serves that release instead ({@code degraded}).
 */
record Prepared(MetadataSnapshot metadata, BootPlan plan, RunAs runAs, SourceRepository source, Deployer deployer,
    ReleaseChanges changes, Optional<Revision> upstream, Optional<String> degraded, Replanner replanner)
    implements AutoCloseable {

  /** The same plan for another release (a rollback target), so that ${release} names that one. */
  @FunctionalInterface
  interface Replanner {
    BootPlan forRelease(String releaseId) throws BadInputException;
  }

  BootPlan planFor(String releaseId) throws BootException {
    return releaseId.equals(plan.releaseId()) ? plan : replanner.forRelease(releaseId);
  }

  /** Ends the user's process that made the changes, if one was started. */
  @Override
  public void close() {
    changes.close();
  }
}
