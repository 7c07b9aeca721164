package amiboot.deploy;

import java.nio.file.Path;
import java.util.Optional;

/** One release directory: its name (a UTC stamp), what it holds, and what amiboot knows of it. */
public record Release(String id, Path dir, Optional<String> revision, ReleaseStatus status, boolean current) {
  public boolean good() {
    return status == ReleaseStatus.GOOD;
  }
}
