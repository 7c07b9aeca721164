package amiboot.deploy;

import amiboot.io.AtomicFiles;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.tmatesoft.svn.core.SVNAuthenticationException;
import org.tmatesoft.svn.core.SVNDepth;
import org.tmatesoft.svn.core.SVNErrorCode;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNNodeKind;
import org.tmatesoft.svn.core.SVNURL;
import org.tmatesoft.svn.core.auth.BasicAuthenticationManager;
import org.tmatesoft.svn.core.auth.ISVNAuthenticationManager;
import org.tmatesoft.svn.core.internal.io.dav.DAVRepositoryFactory;
import org.tmatesoft.svn.core.internal.io.fs.FSRepositoryFactory;
import org.tmatesoft.svn.core.internal.io.svn.SVNRepositoryFactoryImpl;
import org.tmatesoft.svn.core.io.SVNRepository;
import org.tmatesoft.svn.core.io.SVNRepositoryFactory;
import org.tmatesoft.svn.core.wc.ISVNOptions;
import org.tmatesoft.svn.core.wc.SVNClientManager;
import org.tmatesoft.svn.core.wc.SVNRevision;

/**
 * Subversion through SVNKit: an export (no working copy; measured 2.5-5x cheaper than a checkout).
 * A redeploy asks the server only for what changed since the release {@code current} points at,
 * and hard-links the rest from it (see {@link SvnRedeploy}). Credentials go through an in-memory
 * authentication manager that never stores them on disk.
 */
public final class SvnSource implements SourceRepository {
  private static final Set<SVNErrorCode> NOT_FOUND = Set.of(
      SVNErrorCode.RA_ILLEGAL_URL, SVNErrorCode.FS_NOT_FOUND, SVNErrorCode.RA_DAV_PATH_NOT_FOUND,
      SVNErrorCode.BAD_URL, SVNErrorCode.RA_SVN_REPOS_NOT_FOUND, SVNErrorCode.ENTRY_NOT_FOUND);

  static {
    // SVNKit registers its protocols globally; doing it again is harmless.
    SVNRepositoryFactoryImpl.setup();
    DAVRepositoryFactory.setup();
    FSRepositoryFactory.setup();
  }

  /**
   * How amiboot translates files (eol-style, keywords; see SvnTreeEditor). Part of every export record:
   * change it when that translation changes, so that no release built the old way is reused.
   */
  static final String TRANSLATION = "1";

  private final SourceSpec spec;
  private final Optional<Credentials> credentials;
  private final ISVNOptions options = new SvnExportOptions();

  public SvnSource(SourceSpec spec) throws BootException {
    this(spec, Credentials.of(spec));
  }

  public SvnSource(SourceSpec spec, Optional<Credentials> credentials) throws BootException {
    this.spec = spec;
    this.credentials = credentials;
    revision(); // reject a malformed revision before anything is written
  }

  @Override
  public Revision export(Path dest, Optional<BaseRelease> base) throws BootException {
    SVNRepository session = null;
    try {
      session = open();
      long revision = resolve(session);
      SvnOrigin origin = SvnOrigin.of(session, credentials.map(Credentials::username).orElse(""));
      SvnExportWriter writer = new SvnExportWriter(session, options);
      Optional<SvnManifest> written = redeploy(writer, session, origin, revision, dest, base);
      if (written.isEmpty()) {
        written = writer.writeAll(revision, dest);
      }
      if (written.isPresent()) {
        record(dest, origin, revision, written.get());
      } else {
        AtomicFiles.deleteTree(dest);
        SvnExportRecord.forget(dest);
        exportWithExternals(session.getLocation(), revision, dest);
        refuseDotGit(dest);
      }
      return new Revision(Long.toString(revision), spec.displayUrl());
    } catch (SVNException e) {
      throw failure(e);
    } catch (IOException e) {
      throw new CannotWriteException("cannot write the release from " + spec.displayUrl() + ": " + Messages.describe(e), e);
    } finally {
      if (session != null) {
        session.closeSession();
      }
    }
  }

  /**
   * Builds the release from {@code base} when it is an export of this URL at an older (or the
   * same) revision, asking the server only for what changed since; returns what the release
   * holds. Empty when that is not possible (no base, no usable record of it, another URL, a newer
   * revision, svn:externals); then {@code dest} does not exist. Nothing is kept under
   * deploy_to/repo for svn: the base release and its record are the cache, and the server
   * computes the difference.
   */
  private Optional<SvnManifest> redeploy(SvnExportWriter writer, SVNRepository session, SvnOrigin origin, long revision,
      Path dest, Optional<BaseRelease> base) throws SVNException, IOException {
    Optional<SvnExportRecord> record = base.flatMap(b -> usableRecord(b, origin, revision));
    Optional<BaseFiles> files = BaseFiles.of(base);
    if (record.isEmpty() || files.isEmpty()) {
      return Optional.empty();
    }
    long from = record.get().revision();
    SvnChanges changes = from == revision ? SvnChanges.NONE : SvnChanges.between(session, from, revision);
    if (changes.externals()) {
      return Optional.empty();
    }
    Optional<SvnManifest> built = new SvnRedeploy(writer, files.get()).build(record.get().manifest(), changes, revision, dest);
    if (built.isEmpty()) {
      AtomicFiles.deleteTree(dest);
    }
    return built;
  }

  private static Optional<SvnExportRecord> usableRecord(BaseRelease base, SvnOrigin origin, long revision) {
    return SvnExportRecord.readFor(base.dir())
        .filter(r -> r.origin().equals(origin))
        .filter(r -> base.revision().equals(Long.toString(r.revision())))
        .filter(r -> r.revision() <= revision);
  }

  /** The record is what lets the next deploy be incremental; without it, that deploy is a full export. */
  private static void record(Path dest, SvnOrigin origin, long revision, SvnManifest manifest) {
    try {
      Optional<SvnExportRecord> record = SvnExportRecord.of(dest, origin, revision, manifest);
      if (record.isPresent()) {
        record.get().writeFor(dest);
      } else {
        SvnExportRecord.forget(dest);
      }
    } catch (IOException | IllegalArgumentException e) {
      // not worth failing a good release for: the next deploy exports afresh
    }
  }

  /**
   * SVNKit's own export, which follows svn:externals (their content may change without a commit
   * here: never reused). Unlike {@link SvnTreeEditor}, it writes $URL$ with any user info in it.
   */
  private void exportWithExternals(SVNURL url, long revision, Path dest) throws SVNException {
    SVNClientManager manager = SVNClientManager.newInstance(options, authentication());
    try {
      SVNRevision r = SVNRevision.create(revision);
      manager.getUpdateClient().setExportExpandsKeywords(true); // as svn export does; SVNKit's default is not to
      manager.getUpdateClient().doExport(url, dest.toFile(), r, r, null, true, SVNDepth.INFINITY);
    } finally {
      manager.dispose();
    }
  }

  /** SVNKit's own export writes whatever the tree (and its externals) hold: looked through after. */
  private void refuseDotGit(Path dest) throws IOException, BadInputException {
    try (Stream<Path> paths = Files.walk(dest)) {
      Optional<Path> found = paths.filter(p -> !p.equals(dest) && DotGit.is(p.getFileName().toString())).findFirst();
      if (found.isPresent()) {
        throw DotGit.refused(spec.displayUrl(), dest.relativize(found.get()).toString());
      }
    }
  }

  @Override
  public Revision peek() throws BootException {
    SVNRepository session = null;
    try {
      session = open();
      return new Revision(Long.toString(resolve(session)), spec.displayUrl());
    } catch (SVNException e) {
      throw failure(e);
    } finally {
      if (session != null) {
        session.closeSession();
      }
    }
  }

  private SVNRepository open() throws BootException, SVNException {
    SVNRepository session = SVNRepositoryFactory.create(url());
    session.setAuthenticationManager(authentication());
    return session;
  }

  /** The configured revision's number (HEAD: the latest), checked to hold a directory at the URL. */
  private long resolve(SVNRepository session) throws BootException, SVNException {
    SVNRevision configured = revision();
    long revision = configured == SVNRevision.HEAD ? session.getLatestRevision() : configured.getNumber();
    SVNNodeKind kind = session.checkPath("", revision);
    if (kind == SVNNodeKind.NONE) {
      throw spec.notFound(" (nothing there at revision " + revision + ")");
    }
    if (kind != SVNNodeKind.DIR) {
      throw new BadInputException("repository.url must be a directory of the repository, not a file (" + spec.displayUrl() + ")");
    }
    return revision;
  }

  private SVNURL url() throws BootException {
    try {
      return SVNURL.parseURIEncoded(spec.url());
    } catch (SVNException e) {
      throw new BadInputException("repository.url is not a Subversion URL (" + spec.displayUrl() + ")");
    }
  }

  private SVNRevision revision() throws BootException {
    String text = spec.revision().orElse("HEAD");
    if (text.equalsIgnoreCase("HEAD")) {
      return SVNRevision.HEAD;
    }
    if (!text.matches("\\d{1,18}")) {
      throw new BadInputException("repository.revision for svn must be a revision number or HEAD, not '" + text + "'");
    }
    return SVNRevision.create(Long.parseLong(text));
  }

  private ISVNAuthenticationManager authentication() {
    return credentials.map(c -> BasicAuthenticationManager.newInstance(c.username(), c.password().chars()))
        .orElseGet(() -> BasicAuthenticationManager.newInstance(new org.tmatesoft.svn.core.auth.SVNAuthentication[0]));
  }

  private BootException failure(SVNException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SvnTreeEditor.DotGitException dotGit) {
        return DotGit.refused(spec.displayUrl(), dotGit.path());
      }
    }
    SVNErrorCode code = e.getErrorMessage().getErrorCode();
    String message = spec.masked(e.getErrorMessage().getFullMessage());
    if (e instanceof SVNAuthenticationException || code.getCategory() == SVNErrorCode.AUTHN_CATEGORY
        || code == SVNErrorCode.RA_NOT_AUTHORIZED) {
      return new BadInputException("repository refused the credentials (" + spec.displayUrl()
          + credentials.map(c -> ", user " + c.username()).orElse("") + "): check repository.username and password_file");
    }
    if (NOT_FOUND.contains(code)) {
      return spec.notFound(": " + message);
    }
    if (code.getCategory() == SVNErrorCode.IO_CATEGORY && message.matches("(?i).*(no space|cannot create|permission denied|read-only).*")) {
      return new CannotWriteException("cannot write the release from " + spec.displayUrl() + ": " + message, e);
    }
    return new UnavailableException("repository unavailable (" + spec.displayUrl() + "): " + message
        + "; check the url and the network");
  }
}
