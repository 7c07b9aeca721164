package amiboot.deploy;

import amiboot.io.UntrustedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The releases under deploy_to as an operator sees them: newest first, with revision and status. */
public final class Releases {
  private final ReleaseLayout layout;
  private final ReleaseIndex index;

  public Releases(ReleaseLayout layout) {
    this.layout = layout;
    this.index = new ReleaseIndex(layout);
  }

  /** Newest first. */
  public List<Release> list() throws IOException {
    Map<String, ReleaseStatus> statuses = index.statuses();
    Optional<String> current = layout.currentId();
    List<String> ids = layout.releaseIds();
    List<Release> releases = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      releases.add(release(ids.get(i), statuses, current));
    }
    return releases;
  }

  private Release release(String id, Map<String, ReleaseStatus> statuses, Optional<String> current) {
    Path dir = layout.release(id);
    return new Release(id, dir, revisionOf(dir), statuses.getOrDefault(id, ReleaseStatus.UNCHECKED),
        current.filter(id::equals).isPresent());
  }

  public Optional<Release> find(String id) throws IOException {
    return list().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The release current points at, read alone (a deploy asks for it on every build). */
  public Optional<Release> current() {
    Optional<String> current = layout.currentId();
    return current.map(id -> release(id, index.statuses(), current));
  }

  /**
   * The release a rollback goes to: the newest good, complete one older than current. Never a
   * newer one: rolling "back" from the oldest release would be a roll forward (name it instead).
   */
  public Optional<Release> previousGood() throws IOException {
    Optional<String> current = layout.currentId();
    return list().stream().filter(Release::good).filter(r -> !r.current() && r.revision().isPresent())
        .filter(r -> current.isEmpty() || r.id().compareTo(current.get()) < 0).findFirst();
  }

  /** Why the statuses may be missing what was once marked (an unreadable releases.json); empty when nothing is wrong. */
  public Optional<String> indexTrouble() throws IOException {
    return index.trouble();
  }

  /** A git commit id or an svn revision number, with room to spare; a longer file is not amiboot's. */
  private static final int MAX_REVISION_BYTES = 128;

  /** A release's REVISION file (written last, so a release without it is incomplete). */
  private static Optional<String> revisionOf(Path release) {
    try {
      String text = UntrustedFile.read(release.resolve("REVISION"), MAX_REVISION_BYTES).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
