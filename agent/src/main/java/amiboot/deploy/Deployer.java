package amiboot.deploy;

import amiboot.config.SharedConfig;
import amiboot.io.AtomicFiles;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Capistrano's deploy, done so that {@code current} always points at a complete release: the
 * release is built under a hidden staging name, linked to shared/, renamed into place, and only
 * then is {@code current} switched (a new symlink renamed over the old one).
 */
public final class Deployer {
  private final ReleaseLayout layout;
  private final SharedConfig shared;
  private final int keepReleases;
  private final Clock clock;
  private final ReleaseIndex index;

  /**
   * Works as the user this process runs as, who owns what it creates: as root with {@code user:},
   * this runs in a process of that user's ({@code amiboot.asuser}), never as root.
   */
  public Deployer(ReleaseLayout layout, SharedConfig shared, int keepReleases, Clock clock) {
    this.layout = layout;
    this.shared = shared;
    this.keepReleases = keepReleases;
    this.clock = clock;
    this.index = new ReleaseIndex(layout);
  }

  /** Checks what a deploy needs on the box, before anything is written. */
  public void checkSharedFiles() throws BootException {
    for (String file : shared.files()) {
      Path path = layout.shared().resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new BadInputException("shared file missing (" + path + "): put it there before deploying;"
            + " it is linked into every release as " + file);
      }
    }
  }

  /** Builds the release, makes it current and prunes: a deploy with no start or health check in between. */
  public Deployment deploy(SourceRepository source, String releaseId, String deployedBy) throws BootException {
    Optional<String> previous = layout.currentId();
    BuiltRelease built = build(source, releaseId);
    activate(built, deployedBy);
    try {
      return new Deployment(built.id(), built.dir(), built.revision(), previous, prune());
    } catch (IOException e) {
      throw new CannotWriteException("release " + built.id() + " is current, but pruning failed: " + Messages.describe(e), e);
    }
  }

  /**
   * Builds the release, complete, under releases/ without touching {@code current}: the running
   * release keeps serving meanwhile, and a failure here changes nothing that is deployed.
   */
  public BuiltRelease build(SourceRepository source, String releaseId) throws BootException {
    checkSharedFiles();
    Revision revision = buildRelease(source, releaseId);
    return new BuiltRelease(releaseId, layout.release(releaseId), revision);
  }

  /**
   * Points current at a built release and records it in revisions.log. Only the switch can fail:
   * a line the log cannot take is said in the returned detail, not thrown, since the release is
   * current by then and its start must follow.
   */
  public String activate(BuiltRelease built, String deployedBy) throws BootException {
    switchCurrent(built.dir(), true);
    String detail = "current -> " + built.dir();
    try {
      appendRevisionLog(built.id() + " revision " + built.revision().id() + " (" + built.revision().source() + ") deployed by "
          + deployedBy);
      return detail;
    } catch (IOException e) {
      return detail + "; recording it in " + layout.revisionsLog() + " failed: " + Messages.describe(e);
    }
  }

  /** Removes a built release that never became current (a redeploy that could not go on). */
  public void discard(BuiltRelease built) {
    removeQuietly(built.dir());
  }

  /** Points current back at an existing, complete release (a rollback), and says so in revisions.log. */
  public void switchTo(String releaseId, String why) throws BootException {
    Path release = layout.release(releaseId);
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(release.resolve("REVISION"), LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException("release " + releaseId + " is not a complete release (" + release + "): see amiboot releases");
    }
    switchCurrent(release, false);
    try {
      appendRevisionLog(releaseId + " " + why);
    } catch (IOException e) {
      // current is switched; a log line is not worth failing the switch for
    }
  }

  /** Records whether a release passed its health check (what rollback and pruning go by). */
  public void mark(String releaseId, ReleaseStatus status) throws BootException {
    try {
      index.mark(releaseId, status, clock.instant());
    } catch (IOException e) {
      throw new CannotWriteException("cannot record release " + releaseId + " as " + status.label() + " ("
          + index.file() + "): " + Messages.describe(e), e);
    }
  }

  /** Builds the release under its staging name and renames it into place, complete. */
  private Revision buildRelease(SourceRepository source, String releaseId) throws BootException {
    Path staging = layout.staging(releaseId);
    try {
      prepareDirectories();
      removeLeftoverStaging();
      Revision revision = source.export(staging, baseRelease());
      writeRevisionFile(staging, revision);
      linkShared(staging);
      Files.move(staging, layout.release(releaseId));
      requireComplete(layout.release(releaseId));
      return revision;
    } catch (IOException e) {
      removeQuietly(staging);
      throw new CannotWriteException("cannot write the release (" + layout.release(releaseId) + "): " + Messages.describe(e)
          + "; current still points at the previous release", e);
    } catch (CannotWriteException e) {
      removeQuietly(staging);
      throw new CannotWriteException(e.getMessage() + "; current still points at the previous release", e);
    } catch (BootException e) {
      removeQuietly(staging);
      throw e;
    }
  }

  /**
   * The release renamed into place is the one built: a directory (not a link someone put at the
   * staging name meanwhile) with its REVISION file.
   */
  private static void requireComplete(Path release) throws CannotWriteException {
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(release.resolve("REVISION"), LinkOption.NOFOLLOW_LINKS)) {
      removeQuietly(release);
      throw new CannotWriteException("release " + release + " was changed while it was built (it is no longer the"
          + " directory amiboot wrote): something else writes under releases/");
    }
  }

  /** The release current points at, if it is complete (it has its REVISION file): a new one may reuse its files. */
  private Optional<BaseRelease> baseRelease() {
    // no REVISION (an incomplete or foreign release): no usable base, the release is built from scratch
    return new Releases(layout).current().flatMap(r -> r.revision().map(revision -> new BaseRelease(r.dir(), revision)));
  }

  /** Points current at a release; if that fails, a new release ({@code isNew}) is removed again. */
  private void switchCurrent(Path release, boolean isNew) throws BootException {
    try {
      AtomicFiles.replaceSymlink(layout.current(), release);
    } catch (IOException e) {
      if (isNew) {
        removeQuietly(release);
      }
      throw new CannotWriteException("cannot switch " + layout.current() + " to " + release + ": " + Messages.describe(e)
          + "; current still points at the previous release", e);
    }
  }

  private void prepareDirectories() throws IOException {
    Files.createDirectories(layout.releases());
    Files.createDirectories(layout.shared());
    for (String dir : shared.dirs()) {
      Files.createDirectories(layout.shared().resolve(dir));
    }
  }

  /**
   * The deploy's REVISION, in place of whatever the repository has at that name: a file of the
   * repository's is removed first, a symlink never followed (one to /etc/passwd would be truncated).
   */
  private static void writeRevisionFile(Path release, Revision revision) throws IOException {
    Path file = release.resolve("REVISION");
    AtomicFiles.deleteTree(file);
    Files.write(file, (revision.id() + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  /** A crash mid-deploy leaves a staging directory behind; it is never a release, so remove it. */
  private void removeLeftoverStaging() throws IOException {
    try (var entries = Files.list(layout.releases())) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".partial")) {
          AtomicFiles.deleteTree(p);
        }
      }
    }
  }

  /** Replaces each shared path in the release (if the repository has one) by a link into shared/. */
  private void linkShared(Path release) throws IOException, BootException {
    List<String> all = new ArrayList<>(shared.dirs());
    all.addAll(shared.files());
    for (String path : all) {
      refuseSymlinkOnTheWay(release, Path.of(path));
      Path link = release.resolve(path);
      AtomicFiles.deleteTree(link);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, layout.shared().resolve(path));
    }
  }

  /**
   * A repository may hold symlinks. One on the way to a shared path (tmp -> /somewhere, shared
   * tmp/pids) would make the deploy delete and link outside the release.
   */
  private static void refuseSymlinkOnTheWay(Path release, Path path) throws BootException {
    for (int i = 1; i < path.getNameCount(); i++) {
      Path prefix = path.subpath(0, i);
      if (Files.isSymbolicLink(release.resolve(prefix))) {
        throw new BadInputException("the repository has a symlink at " + prefix + ", on the way to the shared path "
            + path + ": make " + prefix + " a directory in the repository, or share " + prefix + " instead");
      }
    }
  }

  private void appendRevisionLog(String what) throws IOException {
    String line = clock.instant() + " release " + what + "\n";
    Files.writeString(layout.revisionsLog(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Removes releases beyond {@code keep_releases}: failed and unchecked ones first, then the oldest.
   * Never the one {@code current} points at, nor the newest good one (where a rollback goes). Each
   * is renamed to a staging name before it is deleted, so a crash mid-way never leaves half a
   * release under its own name (the next deploy removes staging leftovers).
   */
  public List<String> prune() throws IOException {
    Map<String, ReleaseStatus> statuses = index.statuses();
    List<String> ids = layout.releaseIds();
    Set<String> kept = new HashSet<>();
    layout.currentId().ifPresent(kept::add);
    newestGood(ids, statuses).ifPresent(kept::add);
    List<String> removed = pruneCandidates(ids, statuses, kept, keepReleases);
    for (String id : removed) {
      Path doomed = layout.staging(id);
      Files.move(layout.release(id), doomed);
      index.forget(List.of(id), clock.instant());
      AtomicFiles.deleteTree(doomed);
    }
    return removed;
  }

  /** What a deploy of {@code newId} would prune once it is current and good (for {@code plan}). */
  public List<String> wouldPrune(String newId) throws IOException {
    Map<String, ReleaseStatus> statuses = new java.util.HashMap<>(index.statuses());
    statuses.put(newId, ReleaseStatus.GOOD);
    List<String> ids = new ArrayList<>(layout.releaseIds());
    Set<String> kept = new HashSet<>(Set.of(newId));
    ids.add(newId);
    newestGood(ids, statuses).ifPresent(kept::add);
    return pruneCandidates(ids, statuses, kept, keepReleases);
  }

  private static Optional<String> newestGood(List<String> idsOldestFirst, Map<String, ReleaseStatus> statuses) {
    for (int i = idsOldestFirst.size() - 1; i >= 0; i--) {
      if (statuses.get(idsOldestFirst.get(i)) == ReleaseStatus.GOOD) {
        return Optional.of(idsOldestFirst.get(i));
      }
    }
    return Optional.empty();
  }


  static List<String> pruneCandidates(List<String> idsOldestFirst, Map<String, ReleaseStatus> statuses,
      Set<String> neverRemoved, int keep) {
    int excess = idsOldestFirst.size() - keep;
    List<String> removable = new ArrayList<>();
    idsOldestFirst.stream().filter(id -> !neverRemoved.contains(id) && statuses.get(id) != ReleaseStatus.GOOD)
        .forEach(removable::add);
    idsOldestFirst.stream().filter(id -> !neverRemoved.contains(id) && statuses.get(id) == ReleaseStatus.GOOD)
        .forEach(removable::add);
    return List.copyOf(removable.subList(0, Math.max(0, Math.min(excess, removable.size()))));
  }

  private static void removeQuietly(Path dir) {
    try {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        AtomicFiles.deleteTree(dir);
      }
    } catch (IOException ignored) {
      // the next deploy removes leftover staging directories
    }
  }
}
