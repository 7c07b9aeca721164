package amiboot.deploy;

import amiboot.pipeline.BootException;
import java.io.IOException;
import java.util.List;

/** The changes made by this process itself: amiboot runs as the user who owns deploy_to. */
public record InProcessChanges(Deployer deployer, SourceRepository source) implements ReleaseChanges {
  @Override
  public void ready() {
    // this process makes them
  }

  @Override
  public BuiltRelease build(String releaseId) throws BootException {
    return deployer.build(source, releaseId);
  }

  @Override
  public String activate(BuiltRelease built, String deployedBy) throws BootException {
    return deployer.activate(built, deployedBy);
  }

  @Override
  public void discard(BuiltRelease built) {
    deployer.discard(built);
  }

  @Override
  public void switchTo(String releaseId, String why) throws BootException {
    deployer.switchTo(releaseId, why);
  }

  @Override
  public void mark(String releaseId, ReleaseStatus status) throws BootException {
    deployer.mark(releaseId, status);
  }

  @Override
  public List<String> prune() throws IOException {
    return deployer.prune();
  }

  @Override
  public void close() {
    // nothing held
  }
}
