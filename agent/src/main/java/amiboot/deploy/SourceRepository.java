package amiboot.deploy;

import amiboot.pipeline.BootException;
import java.nio.file.Path;
import java.util.Optional;

/** A version control system, as deploy needs it. */
public interface SourceRepository {
  /**
   * Writes the configured revision's files (no VCS metadata) into {@code dest}, which does not
   * exist yet. {@code base}, when present, is a complete release whose unchanged files may be
   * reused; the result must be the same as without it.
   */
  Revision export(Path dest, Optional<BaseRelease> base) throws BootException;

  /** Which revision an export would take now, without writing anything (for {@code plan}). */
  Revision peek() throws BootException;
}
