package amiboot.deploy;

import amiboot.io.AtomicFiles;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.DiskFull;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Git through JGit. A bare mirror under {@code deploy_to/repo} is cloned once and fetched after
 * that; a release is the commit's tree written out (no .git in releases). The password reaches
 * JGit through its credentials provider, never the URL.
 */
public final class GitSource implements SourceRepository {
  private static final RefSpec BRANCHES = new RefSpec("+refs/heads/*:refs/heads/*");
  private static final RefSpec TAGS = new RefSpec("+refs/tags/*:refs/tags/*");
  /** Writing a release is CPU work (inflating, applying deltas): one thread per core, up to 4. */
  private static final int WRITE_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
  /** The outcomes of a forced ref update that leave the ref as the remote has it. */
  private static final Set<RefUpdate.Result> FETCHED =
      EnumSet.of(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NO_CHANGE);
  private static final java.util.regex.Pattern COMMIT_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{4,40}");
  /** A damaged mirror's new name: repo.corrupt-20261208010203 (UTC, as release names). */
  private static final String SET_ASIDE = ".corrupt-";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  static {
    JGitSettings.apply();
  }

  private final SourceSpec spec;
  private final Optional<Credentials> credentials;
  private final Path mirror;

  public GitSource(SourceSpec spec, Path mirror) throws BootException {
    this(spec, mirror, Credentials.of(spec));
  }

  public GitSource(SourceSpec spec, Path mirror, Optional<Credentials> credentials) {
    this.spec = spec;
    this.credentials = credentials;
    this.mirror = mirror;
  }

  /**
   * Exports from the mirror. A damaged mirror is set aside and cloned again in this same run: when
   * its shape shows the damage, before the fetch; when reading an object does (a pack damaged
   * inside), the export starts over once, from the fresh clone.
   */
  @Override
  public Revision export(Path dest, Optional<BaseRelease> base) throws BootException {
    Optional<String> setAside = setAsideIfDamaged();
    try {
      return exportFromMirror(dest, base, setAside);
    } catch (BootException e) {
      Optional<String> damage = MirrorDamage.of(e);
      if (setAside.isPresent() || damage.isEmpty()) {
        throw e; // a clone made in this run that cannot be read is not the cache's damage: said as it is
      }
      String notice = setAside("objects unreadable: " + damage.get());
      clear(dest);
      return exportFromMirror(dest, base, Optional.of(notice));
    }
  }

  /**
   * Root's half of a deploy as the app's user: brings a mirror of root's (outside deploy_to) up to
   * date, with the credentials, and says which commit to deploy; the user's process then only
   * reads that mirror ({@link #exportFetched}). A damaged mirror is set aside first, as for export.
   */
  public Revision fetch() throws BootException {
    Optional<String> setAside = setAsideIfDamaged();
    try (Git git = openMirror()) {
      RevCommit commit = resolve(git.getRepository());
      return new Revision(commit.name(), picked(), setAside);
    } catch (RuntimeException e) {
      if (MirrorDamage.of(e).isEmpty()) {
        throw e;
      }
      throw unreadable(e);
    }
  }

  /**
   * The user's half: {@code commit}'s tree written from a mirror root fetched into, which this
   * process may read and never writes; no network, no credentials.
   */
  public static SourceRepository exportFetched(SourceSpec spec, Path mirror, String commit) {
    GitSource reader = new GitSource(spec, mirror, Optional.empty());
    return new SourceRepository() {
      @Override
      public Revision export(Path dest, Optional<BaseRelease> base) throws BootException {
        try (Git git = Git.open(mirror.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
          reader.writeTree(git.getRepository(), walk.parseCommit(ObjectId.fromString(commit)), base, dest);
          return new Revision(commit, "revision " + commit);
        } catch (IOException | RuntimeException e) {
          throw new CannotWriteException("cannot read the repository cache (" + mirror + ") as the app's user: "
              + Messages.describe(e instanceof IOException io ? io : new IOException(e.getMessage(), e))
              + "; it must be readable by that user (state_dir too)", e);
        }
      }

      @Override
      public Revision peek() {
        return new Revision(commit, "revision " + commit);
      }
    };
  }

  private Revision exportFromMirror(Path dest, Optional<BaseRelease> base, Optional<String> notice) throws BootException {
    try (Git git = openMirror()) {
      Repository repo = git.getRepository();
      RevCommit commit = resolve(repo);
      writeTree(repo, commit, base, dest);
      return new Revision(commit.name(), picked(), notice);
    } catch (RuntimeException e) {
      // JGit's walks (RevWalk, TreeWalk) report a damaged object unchecked
      if (MirrorDamage.of(e).isEmpty()) {
        throw e;
      }
      throw unreadable(e);
    }
  }

  /** Sets a mirror git cannot use aside (see {@link MirrorDamage#inspect}); returns what was done, for the deploy step's line. */
  private Optional<String> setAsideIfDamaged() throws BootException {
    Optional<String> damage = MirrorDamage.inspect(mirror);
    if (damage.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(setAside(damage.get()));
  }

  /**
   * Renames the damaged mirror to repo.corrupt-STAMP rather than delete it, for whoever wants to
   * see what happened to it (a failing disk?); only the latest one is kept, so that damage that
   * comes back does not fill the disk.
   */
  private String setAside(String damage) throws BootException {
    Path aside = mirror.resolveSibling(mirror.getFileName() + SET_ASIDE + STAMP.format(Instant.now()));
    try {
      try (DirectoryStream<Path> earlier = Files.newDirectoryStream(mirror.getParent(), mirror.getFileName() + SET_ASIDE + "*")) {
        for (Path path : earlier) {
          AtomicFiles.deleteTree(path);
        }
      }
      Files.move(mirror, aside);
    } catch (IOException e) {
      throw new CannotWriteException("the repository cache (" + mirror + ") is damaged (" + damage
          + ") and cannot be set aside: " + Messages.describe(e) + "; remove it", e);
    }
    return "repository cache damaged (" + damage + "): moved to " + aside + ", cloned again";
  }

  /** What the first try wrote, before the second one writes the release again from the fresh clone. */
  private static void clear(Path dest) throws BootException {
    try {
      AtomicFiles.deleteTree(dest);
    } catch (IOException e) {
      throw new CannotWriteException("cannot remove a half-written release (" + dest + "): " + Messages.describe(e), e);
    }
  }

  private BootException unreadable(Exception e) {
    return new UnavailableException("cannot read the repository cache (" + mirror + "): "
        + MirrorDamage.of(e).orElseGet(() -> Messages.oneLine(e.getMessage())), e);
  }

  @Override
  public Revision peek() throws BootException {
    Collection<Ref> refs;
    try {
      refs = Git.lsRemoteRepository().setRemote(spec.url()).setCredentialsProvider(provider()).call();
    } catch (GitAPIException e) {
      throw failure(e);
    }
    if (spec.revision().isPresent()) {
      String r = spec.revision().get();
      Optional<Ref> named = find(refs, Constants.R_TAGS + r).or(() -> find(refs, Constants.R_HEADS + r));
      if (named.isPresent()) {
        return new Revision(idOf(named.get()), "revision " + r);
      }
      if (!COMMIT_ID.matcher(r).matches()) {
        throw new BadInputException("repository.revision '" + r + "' is not a tag, a branch or a commit id of "
            + spec.displayUrl() + ": check repository.revision");
      }
      return new Revision(r, "revision " + r + " (a commit id: checked when fetched)");
    }
    String head = spec.branch().map(b -> Constants.R_HEADS + b).orElse(Constants.HEAD);
    return find(refs, head).map(ref -> new Revision(idOf(ref), picked()))
        .orElseThrow(() -> new BadInputException(spec.branch().map(b -> "branch '" + b + "' not found")
            .orElse("no default branch (an empty repository?)") + " in " + spec.displayUrl() + ": check repository.branch"));
  }

  private static Optional<Ref> find(Collection<Ref> refs, String name) {
    return refs.stream().filter(ref -> ref.getName().equals(name)).findFirst();
  }

  private static String idOf(Ref ref) {
    ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
    return id.name();
  }

  private String picked() {
    return spec.revision().map(r -> "revision " + r).orElse(spec.branch().map(b -> "branch " + b).orElse("default branch"));
  }

  private CredentialsProvider provider() {
    return credentials.map(c -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(c.username(), c.password().chars()))
        .orElse(null);
  }

  /** Opens the mirror and fetches, or clones it (into a temp name, renamed when complete). */
  private Git openMirror() throws BootException {
    if (Files.isDirectory(mirror)) {
      removeLeftovers();
      try {
        Git git = Git.open(mirror.toFile());
        if (spec.url().equals(git.getRepository().getConfig().getString("remote", "origin", "url"))) {
          configure(git.getRepository()); // mirrors made by older versions get the same settings
          consolidatePacks(git.getRepository());
          try {
            fetch(git);
          } catch (BootException e) {
            git.close(); // the clone below closes its own
            throw e;
          }
          return git;
        }
        git.close(); // the configured url changed: start over
      } catch (IOException e) {
        // not a usable repository (an interrupted clone from an older version): start over
      }
      deleteMirror();
    }
    Path partial = mirror.resolveSibling(mirror.getFileName() + ".partial");
    try {
      AtomicFiles.deleteTree(partial);
      try (Git git = Git.init().setBare(true).setDirectory(partial.toFile()).call()) {
        configure(git.getRepository());
        pointHeadAtDefaultBranch(git.getRepository(), fetch(git));
      }
      Files.move(partial, mirror);
      return Git.open(mirror.toFile());
    } catch (GitAPIException e) {
      throw failure(e);
    } catch (IOException e) {
      throw new CannotWriteException("cannot write the repository cache (" + mirror + "): " + e.getMessage(), e);
    } finally {
      try {
        AtomicFiles.deleteTree(partial);
      } catch (IOException ignored) {
        // a leftover partial clone is removed by the next run
      }
    }
  }

  /**
   * The mirror's remote, and no garbage collection after a fetch. JGit's auto-gc after a fetch
   * (once gc.autoPackLimit, 50, packs have piled up) repacks every object into a new pack, 35 MB
   * for the benchmark repository, and keeps the old packs for gc.prunePackExpire (an hour), so
   * each fetch in that hour repacks everything again: a redeploy would rewrite what did not
   * change. {@link PackConsolidation} bounds the pack count instead, without touching the big
   * pack. gc.autoDetach stays off, should anything still start JGit's auto-gc: its default is a
   * background thread, which races the rename of a fresh clone into place and can leave a stale
   * gc.log.lock.
   */
  private void configure(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    String before = config.toText();
    config.setString("remote", "origin", "url", spec.url());
    config.setStringList("remote", "origin", "fetch", List.of(BRANCHES.toString(), TAGS.toString()));
    config.setBoolean("fetch", null, "autoGc", false);
    config.setBoolean("gc", null, "autoDetach", false);
    if (!config.toText().equals(before)) {
      config.save();
    }
  }

  /** A SIGKILL during an earlier fetch leaves locks that would make this one fail. We hold amiboot's lock: they are stale. */
  private void removeLeftovers() throws BootException {
    try {
      MirrorLeftovers.remove(mirror);
    } catch (IOException e) {
      throw new CannotWriteException("cannot clean up the repository cache (" + mirror + "): " + Messages.describe(e), e);
    }
  }

  /**
   * Merges the small packs now and then. Only upkeep: the mirror is complete either way, so a
   * failure here (a full disk, say) leaves it as it was and the deploy goes on.
   */
  private static void consolidatePacks(Repository repo) {
    try {
      new PackConsolidation(PackConsolidation.MAX_PACKS).run(repo);
    } catch (IOException | RuntimeException e) {
      // the packs stay as they are until the next deploy tries again
    }
  }

  private FetchResult fetch(Git git) throws BootException {
    FetchResult result;
    try {
      result = git.fetch().setRemote("origin").setRefSpecs(BRANCHES, TAGS).setRemoveDeletedRefs(true)
          .setCredentialsProvider(provider()).call();
    } catch (GitAPIException e) {
      throw failure(e);
    }
    checkRefsUpdated(result);
    return result;
  }

  /**
   * JGit reports a ref it could not update (a lock file in the way, a failed write) in the result
   * rather than throwing: the deploy would go on with the old commit, silently.
   */
  private void checkRefsUpdated(FetchResult result) throws BootException {
    for (TrackingRefUpdate update : result.getTrackingRefUpdates()) {
      if (!FETCHED.contains(update.getResult())) {
        throw new CannotWriteException("cannot update " + update.getLocalName() + " in the repository cache (" + mirror
            + "): " + update.getResult() + "; the deploy would have used the old commit");
      }
    }
  }

  /** HEAD follows the remote's default branch, as a clone's does (so "no branch" means that one). */
  private static void pointHeadAtDefaultBranch(Repository repo, FetchResult fetched) throws IOException {
    Ref head = fetched.getAdvertisedRef(Constants.HEAD);
    if (head == null || head.getObjectId() == null) {
      return; // an empty repository
    }
    Optional<String> branch = head.isSymbolic() ? Optional.of(head.getTarget().getName())
        : fetched.getAdvertisedRefs().stream()
            .filter(r -> r.getName().startsWith(Constants.R_HEADS) && head.getObjectId().equals(r.getObjectId()))
            .map(Ref::getName).sorted().findFirst();
    if (branch.isPresent()) {
      RefUpdate update = repo.updateRef(Constants.HEAD);
      update.disableRefLog();
      update.link(branch.get());
    }
  }

  private void deleteMirror() throws BootException {
    try {
      AtomicFiles.deleteTree(mirror);
    } catch (IOException e) {
      throw new CannotWriteException("cannot remove the stale repository cache (" + mirror + "): " + e.getMessage(), e);
    }
  }

  private RevCommit resolve(Repository repo) throws BootException {
    String what = spec.revision().orElse(spec.branch().map(b -> Constants.R_HEADS + b).orElse(Constants.HEAD));
    String key = spec.revision().isPresent() ? "repository.revision" : "repository.branch";
    try (RevWalk walk = new RevWalk(repo)) {
      // a commit id the fetch did not bring is a wrong id, not a damaged cache (the index has every object)
      if (ObjectId.isId(what) && !repo.getObjectDatabase().has(ObjectId.fromString(what))) {
        throw new BadInputException(picked() + " not found in " + spec.displayUrl() + " (no branch or tag has it): check " + key);
      }
      ObjectId id = repo.resolve(what + "^{commit}");
      if (id == null) {
        throw new BadInputException(picked() + " not found in " + spec.displayUrl() + ": check " + key);
      }
      return walk.parseCommit(id);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** Writes the commit's tree, sharing the files unchanged since the base release when there is one. */
  private void writeTree(Repository repo, RevCommit commit, Optional<BaseRelease> base, Path dest) throws BootException {
    try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
      new TreeExport(repo, spec.displayUrl(), WRITE_THREADS).write(commit.getTree(), baseTree(walk, base), dest);
    } catch (IOException e) {
      if (MirrorDamage.of(e).isPresent()) {
        throw unreadable(e);
      }
      throw new CannotWriteException("cannot write the release (" + dest + "): " + Messages.describe(e), e);
    }
  }

  /** The base release's tree, when its revision is a commit in the mirror and its files can be shared. */
  private static Optional<TreeExport.Base> baseTree(RevWalk walk, Optional<BaseRelease> base) {
    Optional<BaseFiles> files = BaseFiles.of(base);
    if (files.isEmpty() || !ObjectId.isId(base.get().revision())) {
      return Optional.empty();
    }
    try {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(base.get().revision()));
      return Optional.of(new TreeExport.Base(commit.getTree(), files.get()));
    } catch (IOException e) {
      return Optional.empty(); // not in the mirror (another repository, or history rewritten): write everything
    }
  }

  /** {@code e} and its causes, outermost first. */
  private static Stream<Throwable> causes(Throwable e) {
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
  }

  private BootException failure(GitAPIException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (DiskFull.causedBy(e)) {
      return new CannotWriteException("cannot write the repository cache (" + mirror + "): no space left on device", e);
    }
    Optional<Throwable> badConfig = causes(e).filter(ConfigInvalidException.class::isInstance).findFirst();
    if (badConfig.isPresent()) {
      // /etc/gitconfig, GIT_CONFIG_SYSTEM or ~/.gitconfig: the box's own mistake, not an outage to retry
      return new BadInputException("cannot read git's config: " + spec.masked(Messages.oneLine(badConfig.get().getMessage()))
          + ": fix the file or move it away (GIT_CONFIG_NOSYSTEM=1 skips the system-wide one)", e);
    }
    if (e instanceof InvalidRemoteException
        || e instanceof TransportException && message.matches("(?is).*\\bnot found\\b.*")) {
      return spec.notFound("");
    }
    if (e instanceof TransportException && message.matches("(?is).*(not authorized|authentication|auth fail|\\b401\\b|not permitted|forbidden|\\b403\\b).*")) {
      return new BadInputException("repository refused the credentials (" + spec.displayUrl()
          + credentials.map(c -> ", user " + c.username()).orElse("") + "): check repository.username and password_file");
    }
    return new UnavailableException("repository unavailable (" + spec.displayUrl() + "): "
        + spec.masked(message) + "; check the url and the network", e);
  }
}
