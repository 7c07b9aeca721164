package amiboot.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A completed deploy: the new release, what it holds, the release it replaced, and what pruning removed. */
public record Deployment(String releaseId, Path releaseDir, Revision revision, Optional<String> previous, List<String> pruned) {
  public Deployment {
    pruned = List.copyOf(pruned);
  }
}
