package amiboot.deploy;

import java.util.Optional;

/**
 * What was deployed: the commit or svn revision, and where it came from (branch, tag, url); and
 * what the export had to mend on the way (a damaged repository cache set aside), for the deploy
 * step's line.
 */
public record Revision(String id, String source, Optional<String> notice) {
  public Revision(String id, String source) {
    this(id, source, Optional.empty());
  }
}
