package amiboot.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.tmatesoft.svn.core.SVNCommitInfo;
import org.tmatesoft.svn.core.SVNDepth;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNPropertyValue;
import org.tmatesoft.svn.core.internal.wc.SVNExportEditor;
import org.tmatesoft.svn.core.internal.wc.SVNFileUtil;
import org.tmatesoft.svn.core.io.ISVNEditor;
import org.tmatesoft.svn.core.io.SVNRepository;
import org.tmatesoft.svn.core.io.diff.SVNDiffWindow;
import org.tmatesoft.svn.core.wc.ISVNEventHandler;
import org.tmatesoft.svn.core.wc.ISVNOptions;
import org.tmatesoft.svn.core.wc.SVNEvent;

/**
 * Writes files exactly as SVNKit's export does, by driving SVNKit's own export editor (the one
 * {@code SVNUpdateClient.doExport} uses): svn:eol-style, svn:keywords, svn:executable,
 * svn:special symlinks, commit times as modification times. Driven here so that a redeploy can
 * ask it for some paths only, over the session amiboot already has open.
 */
final class SvnExportWriter {
  private static final ISVNEventHandler QUIET = new ISVNEventHandler() {
    @Override
    public void handleEvent(SVNEvent event, double progress) {}

    @Override
    public void checkCancelled() {}
  };

  private final SVNRepository session;
  private final ISVNOptions options;

  SvnExportWriter(SVNRepository session, ISVNOptions options) {
    this.session = session;
    this.options = options;
  }

  /**
   * The whole tree at {@code revision} into {@code dest}, which does not exist yet. Returns false
   * when the tree has svn:externals: this writes only the tree itself, and the caller must export
   * with SVNKit's client instead, which follows them.
   */
  boolean writeAll(long revision, Path dest) throws SVNException, IOException {
    SVNExportEditor editor = editor(dest);
    session.update(revision, null, SVNDepth.INFINITY, false, reporter -> {
      reporter.setPath("", null, revision, SVNDepth.INFINITY, true);
      reporter.finishReport();
    }, editor);
    Files.createDirectories(dest); // an empty tree sends nothing to create it
    return editor.getCollectedExternals().isEmpty();
  }

  /**
   * Only {@code paths} (files or whole directories, relative to the URL) at {@code revision}, into
   * {@code dest} where the rest of the tree is already in place. The report tells the server that
   * everything is at {@code revision} except these paths, which are missing: it sends them whole,
   * and nothing else. Returns false when the answer is not that (a path it did not send, one it
   * sent as a change, svn:externals): then {@code dest} is incomplete.
   */
  boolean writeOnly(long revision, Path dest, Collection<String> paths) throws SVNException {
    SVNExportEditor export = editor(dest);
    OnlyAdds editor = new OnlyAdds(export);
    List<String> missing = treeOrder(paths);
    session.update(revision, null, SVNDepth.INFINITY, false, reporter -> {
      reporter.setPath("", null, revision, SVNDepth.INFINITY, false);
      for (String path : missing) {
        reporter.deletePath(path);
      }
      reporter.finishReport();
    }, editor);
    if (editor.unexpected || !export.getCollectedExternals().isEmpty()) {
      return false;
    }
    return paths.stream().allMatch(p -> Files.exists(dest.resolve(p), LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * The server reads a report as a depth-first walk: each directory's paths together, right after
   * it. Sorting with '/' below every other character gives that order ("lib/a" before "lib-x");
   * a path inside another reported path adds nothing and is left out.
   */
  static List<String> treeOrder(Collection<String> paths) {
    List<String> sorted = paths.stream().distinct().sorted(Comparator.comparing(p -> p.replace('/', '\u0000'))).toList();
    List<String> order = new ArrayList<>(sorted.size());
    for (String path : sorted) {
      if (order.isEmpty() || !path.startsWith(order.get(order.size() - 1) + "/")) {
        order.add(path);
      }
    }
    return order;
  }

  private SVNExportEditor editor(Path dest) throws SVNException {
    return new SVNExportEditor(QUIET, session.getLocation().toString(), dest.toFile(), true, null, true,
        session.getRepositoryRoot(true).toString(), options);
  }

  /**
   * Passes the server's drive to the export editor, which only handles additions: it learns a
   * file's directory (for $URL$ and friends) from addDir, so an opened directory is added again
   * (a no-op for a directory that exists). A change to an existing file or a deletion is not what
   * was asked for; it is noted and ignored.
   */
  private static final class OnlyAdds implements ISVNEditor {
    private final SVNExportEditor export;
    boolean unexpected;
    private boolean ignoringFile;

    OnlyAdds(SVNExportEditor export) {
      this.export = export;
    }

    @Override
    public void openDir(String path, long revision) throws SVNException {
      export.addDir(path, null, -1);
    }

    @Override
    public void openFile(String path, long revision) {
      unexpected = true;
      ignoringFile = true;
    }

    @Override
    public void deleteEntry(String path, long revision) {
      unexpected = true;
    }

    @Override
    public void changeFileProperty(String path, String name, SVNPropertyValue value) throws SVNException {
      if (!ignoringFile) {
        export.changeFileProperty(path, name, value);
      }
    }

    @Override
    public void applyTextDelta(String path, String baseChecksum) throws SVNException {
      if (!ignoringFile) {
        export.applyTextDelta(path, baseChecksum);
      }
    }

    @Override
    public OutputStream textDeltaChunk(String path, SVNDiffWindow window) throws SVNException {
      return ignoringFile ? SVNFileUtil.DUMMY_OUT : export.textDeltaChunk(path, window);
    }

    @Override
    public void textDeltaEnd(String path) throws SVNException {
      if (!ignoringFile) {
        export.textDeltaEnd(path);
      }
    }

    @Override
    public void closeFile(String path, String textChecksum) throws SVNException {
      if (ignoringFile) {
        ignoringFile = false;
      } else {
        export.closeFile(path, textChecksum);
      }
    }

    @Override
    public void targetRevision(long revision) throws SVNException {
      export.targetRevision(revision);
    }

    @Override
    public void openRoot(long revision) throws SVNException {
      export.openRoot(revision);
    }

    @Override
    public void absentDir(String path) throws SVNException {
      export.absentDir(path);
    }

    @Override
    public void absentFile(String path) throws SVNException {
      export.absentFile(path);
    }

    @Override
    public void addDir(String path, String copyFromPath, long copyFromRevision) throws SVNException {
      export.addDir(path, copyFromPath, copyFromRevision);
    }

    @Override
    public void changeDirProperty(String name, SVNPropertyValue value) throws SVNException {
      export.changeDirProperty(name, value);
    }

    @Override
    public void closeDir() throws SVNException {
      export.closeDir();
    }

    @Override
    public void addFile(String path, String copyFromPath, long copyFromRevision) throws SVNException {
      export.addFile(path, copyFromPath, copyFromRevision);
    }

    @Override
    public SVNCommitInfo closeEdit() throws SVNException {
      return export.closeEdit();
    }

    @Override
    public void abortEdit() throws SVNException {
      export.abortEdit();
    }
  }
}
