package amiboot.cds;

import amiboot.config.AgentConfig;
import amiboot.deploy.ReleaseIndex;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.ReleaseStatus;
import amiboot.pipeline.BootException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The rehearsal of the commands that only read the box (plan, validate, releases): the caller
 * runs them on a fresh throwaway box, then again once the box has a release. Their archive is
 * 40% of the boot's in size, and what a command pays for mapping an archive grows with its size
 * (BENCHMARKS.md, "Cold start"). It leaves nothing behind.
 */
public final class LightTraining {
  /** The commands to rehearse, given the box's config file and its metadata service. */
  public interface Readers {
    void run(Path config, URI metadataEndpoint);
  }

  /** What the box's metadata service answers, for a {@code validate} of its config. */
  public static final String USER_DATA = TrainingBox.USER_DATA;
  public static final String INSTANCE_TYPE = TrainingBox.INSTANCE_TYPE;
  private static final String RELEASE = "20260101000000";

  public void run(Readers readers) throws IOException, BootException {
    // Nothing answers the health URL or a load balancer: the readers only name them.
    try (TrainingBox box = TrainingBox.create(URI.create("http://127.0.0.1:9"))) {
      readers.run(box.configFile(), box.metadataEndpoint());
      lookBooted(box.config());
      readers.run(box.configFile(), box.metadataEndpoint());
    }
  }

  /** One release, current and marked good: what the readers read on a running box. */
  private static void lookBooted(AgentConfig config) throws IOException {
    ReleaseLayout layout = new ReleaseLayout(config.deployTo());
    Path release = Files.createDirectories(layout.release(RELEASE));
    Files.writeString(release.resolve("REVISION"), "0000000000000000000000000000000000000000\n");
    Files.createSymbolicLink(layout.current(), release);
    new ReleaseIndex(layout).mark(RELEASE, ReleaseStatus.GOOD, Instant.now());
  }
}
