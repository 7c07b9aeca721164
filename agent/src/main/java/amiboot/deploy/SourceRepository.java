package amiboot.deploy;

import amiboot.pipeline.BootException;
import java.nio.file.Path;

/** A version control system, as deploy needs it. */
public interface SourceRepository {
  /** Writes the configured revision's files (no VCS metadata) into {@code dest}, which does not exist yet. */
  Revision export(Path dest) throws BootException;

  /** Which revision an export would take now, without writing anything (for {@code plan}). */
  Revision peek() throws BootException;
}
