package amiboot.deploy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tmatesoft.svn.core.SVNCommitInfo;
import org.tmatesoft.svn.core.SVNErrorCode;
import org.tmatesoft.svn.core.SVNErrorMessage;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNProperties;
import org.tmatesoft.svn.core.SVNProperty;
import org.tmatesoft.svn.core.SVNPropertyValue;
import org.tmatesoft.svn.core.internal.util.SVNDate;
import org.tmatesoft.svn.core.internal.wc.SVNFileUtil;
import org.tmatesoft.svn.core.io.ISVNEditor;
import org.tmatesoft.svn.core.io.diff.SVNDeltaProcessor;
import org.tmatesoft.svn.core.io.diff.SVNDiffWindow;
import org.tmatesoft.svn.core.wc.ISVNOptions;

/**
 * Writes the tree the server sends as SVNKit's export editor ({@code SVNExportEditor}) does, with
 * its translation ({@code SVNTranslator}: svn:eol-style, svn:keywords, svn:special) and its
 * svn:executable and commit-time rules, but each file straight into place. SVNKit's editor writes
 * every file to a uniquely named temp file (probing names), renames it, and deletes what is
 * not there, checking file types through JNA: measured as the largest per-file cost of an export
 * besides the protocol, and JNA's start-up alone is about 0.15 s. Here a plain file is created,
 * written and closed; only a file that needs translation is rewritten, as SVNKit would.
 *
 * <p>It only adds: a directory the server opens is one that is already there, a file it opens or
 * an entry it deletes is not what an export asks for ({@link #unexpected()}).
 */
final class SvnTreeEditor implements ISVNEditor {
  private static final int BUFFER = 64 * 1024;

  private final Path root;
  private final SvnTranslation translation;
  private final SVNDeltaProcessor delta = new SVNDeltaProcessor();
  private final Deque<String> dirs = new ArrayDeque<>();
  private final Map<String, String> externals = new HashMap<>();
  private final List<SvnManifest.Entry> added = new ArrayList<>();
  private boolean unexpected;

  private String file;
  private Path target;
  private SVNProperties properties;
  private String checksum;
  private long size;
  private boolean written;
  private boolean ignoring;

  /** {@code url}: the exported URL, for $URL$ and $HeadURL$; {@code repositoryRoot}: for %R in custom keywords. */
  SvnTreeEditor(Path root, String url, String repositoryRoot, ISVNOptions options) {
    this.root = root;
    this.translation = new SvnTranslation(url, repositoryRoot, options);
  }

  /** svn:externals values by directory: content from elsewhere, which this does not fetch. */
  Map<String, String> externals() {
    return externals;
  }

  /** What this wrote, in the order it was written: directories it added (not those it opened) and files. */
  List<SvnManifest.Entry> added() {
    return added;
  }

  /** The server changed or deleted something instead of only adding: the tree is not what was asked for. */
  boolean unexpected() {
    return unexpected;
  }

  @Override
  public void openRoot(long revision) throws SVNException {
    directory("");
  }

  @Override
  public void addDir(String path, String copyFromPath, long copyFromRevision) throws SVNException {
    refuseDotGit(path);
    directory(path);
    added.add(SvnManifest.Entry.dir(path));
  }

  @Override
  public void openDir(String path, long revision) throws SVNException {
    directory(path);
  }

  private void directory(String path) throws SVNException {
    Path dir = path.isEmpty() ? root : root.resolve(path);
    try {
      if (path.isEmpty()) {
        Files.createDirectories(dir);
      } else {
        Files.createDirectory(dir); // its parent was created just before
      }
    } catch (FileAlreadyExistsException e) {
      replaceByDirectory(dir);
    } catch (IOException e) {
      throw ioError("Cannot create directory ''{0}''", dir, e);
    }
    dirs.push(path);
  }

  /** Subversion takes a .git directory as any other; git would refuse it, and so does a release. */
  private static void refuseDotGit(String path) throws DotGitException {
    if (DotGit.in(path)) {
      throw new DotGitException(path);
    }
  }

  /** Thrown from the editor to stop the transfer at a .git path ({@link DotGit}); the caller says why. */
  static final class DotGitException extends SVNException {
    private final String path;

    DotGitException(String path) {
      super(SVNErrorMessage.create(SVNErrorCode.BAD_FILENAME, "''{0}'' is a path through a .git directory", path));
      this.path = path;
    }

    String path() {
      return path;
    }
  }

  /** A file or symlink in the way: SVNKit's forced export replaces it too. A directory is kept. */
  private static void replaceByDirectory(Path dir) throws SVNException {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(dir);
        Files.createDirectory(dir);
      }
    } catch (IOException e) {
      throw ioError("Cannot create directory ''{0}''", dir, e);
    }
  }

  @Override
  public void changeDirProperty(String name, SVNPropertyValue value) {
    if (SVNProperty.EXTERNALS.equals(name) && value != null) {
      externals.put(dirs.peek(), value.getString());
    }
  }

  @Override
  public void closeDir() {
    dirs.pop();
  }

  @Override
  public void addFile(String path, String copyFromPath, long copyFromRevision) throws SVNException {
    refuseDotGit(path);
    file = path;
    target = root.resolve(path);
    properties = new SVNProperties();
    checksum = null;
    size = 0;
    written = false;
  }

  @Override
  public void openFile(String path, long revision) {
    unexpected = true;
    ignoring = true;
  }

  @Override
  public void deleteEntry(String path, long revision) {
    unexpected = true;
  }

  @Override
  public void changeFileProperty(String path, String name, SVNPropertyValue value) {
    if (!ignoring) {
      properties.put(name, value);
    }
  }

  @Override
  public void applyTextDelta(String path, String baseChecksum) throws SVNException {
    if (!ignoring) {
      delta.applyTextDelta(SVNFileUtil.DUMMY_IN, create(), true);
      written = true;
    }
  }

  @Override
  public OutputStream textDeltaChunk(String path, SVNDiffWindow window) throws SVNException {
    if (ignoring) {
      return SVNFileUtil.DUMMY_OUT;
    }
    size += window.getTargetViewLength();
    return delta.textDeltaChunk(window);
  }

  @Override
  public void textDeltaEnd(String path) {
    if (!ignoring) {
      checksum = delta.textDeltaEnd(); // also closes the file
    }
  }

  @Override
  public void closeFile(String path, String textChecksum) throws SVNException {
    if (ignoring) {
      ignoring = false;
      return;
    }
    if (!written) {
      closeQuietly(create()); // no text sent: an empty file
    }
    verify(textChecksum != null ? textChecksum : properties.getStringValue(SVNProperty.CHECKSUM));
    boolean special = properties.getStringValue(SVNProperty.SPECIAL) != null;
    boolean executable = !special && properties.getStringValue(SVNProperty.EXECUTABLE) != null;
    if (translation.apply(file, target, properties)) {
      size = sizeOnDisk();
    }
    String date = properties.getStringValue(SVNProperty.COMMITTED_DATE);
    if (executable) {
      target.toFile().setExecutable(true, false); // as SVNKit: u+x, g+x, o+x
    }
    if (!special && date != null) {
      target.toFile().setLastModified(SVNDate.parseDate(date).getTime());
    }
    added.add(special ? SvnManifest.Entry.link(file) : SvnManifest.Entry.file(file, size, executable));
  }

  private long sizeOnDisk() throws SVNException {
    try {
      return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    } catch (IOException e) {
      throw ioError("Cannot read ''{0}''", target, e);
    }
  }

  private OutputStream create() throws SVNException {
    try {
      try {
        return new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER);
      } catch (FileAlreadyExistsException e) {
        Files.delete(target); // never write through what is there (it may be a symlink): replace it
        return new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER);
      }
    } catch (IOException e) {
      throw ioError("Cannot create file ''{0}''", target, e);
    }
  }

  private void verify(String expected) throws SVNException {
    if (expected != null && checksum != null && !expected.equals(checksum)) {
      SVNErrorMessage err = SVNErrorMessage.create(SVNErrorCode.CHECKSUM_MISMATCH,
          "Checksum mismatch for ''{0}''; expected: ''{1}'', actual: ''{2}''", new Object[] {target, expected, checksum});
      throw new SVNException(err);
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // an empty file: nothing was buffered
    }
  }

  static SVNException ioError(String message, Path path, IOException cause) {
    return new SVNException(SVNErrorMessage.create(SVNErrorCode.IO_ERROR, message + ": " + cause.getMessage(), path), cause);
  }

  @Override
  public void targetRevision(long revision) {}

  @Override
  public void absentDir(String path) {}

  @Override
  public void absentFile(String path) {}

  @Override
  public SVNCommitInfo closeEdit() {
    return null;
  }

  @Override
  public void abortEdit() {}
}
