package amiboot.deploy;

import java.nio.file.Path;
import java.util.List;

/** A completed deploy: the new release, what it holds, and what pruning removed. */
public record Deployment(String releaseId, Path releaseDir, Revision revision, List<String> pruned) {
  public Deployment {
    pruned = List.copyOf(pruned);
  }
}
