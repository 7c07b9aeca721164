package amiboot.deploy;

import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.tmatesoft.svn.core.SVNCommitInfo;
import org.tmatesoft.svn.core.SVNDepth;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNProperty;
import org.tmatesoft.svn.core.SVNPropertyValue;
import org.tmatesoft.svn.core.internal.wc.SVNFileUtil;
import org.tmatesoft.svn.core.io.ISVNEditor;
import org.tmatesoft.svn.core.io.SVNRepository;
import org.tmatesoft.svn.core.io.diff.SVNDiffWindow;

/**
 * What changed in the exported tree between two revisions, as the server computes it for
 * {@code svn status -u}: one request, no file contents. Paths are relative to the exported URL.
 *
 * @param deleted paths gone (a replaced path is deleted, then added)
 * @param added paths added whose parent was not added (an added directory brings its whole tree)
 * @param modified files whose text or properties changed (svn:executable, svn:keywords, ...)
 * @param externals an svn:externals property was set or changed: its content lives elsewhere
 */
record SvnChanges(Set<String> deleted, Set<String> added, Set<String> modified, boolean externals) {
  static final SvnChanges NONE = new SvnChanges(Set.of(), Set.of(), Set.of(), false);

  static SvnChanges between(SVNRepository session, long from, long to) throws SVNException {
    Collector collector = new Collector();
    session.status(to, null, SVNDepth.INFINITY, reporter -> {
      reporter.setPath("", null, from, SVNDepth.INFINITY, false);
      reporter.finishReport();
    }, collector);
    return new SvnChanges(Set.copyOf(collector.deleted), Set.copyOf(collector.added), Set.copyOf(collector.modified),
        collector.externals);
  }

  /** True when {@code path} or a directory above it was deleted, added or modified. */
  boolean touches(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      if (deleted.contains(p) || added.contains(p) || modified.contains(p)) {
        return true;
      }
    }
    return false;
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** Listens to the server's status drive; only notes paths, never writes. */
  private static final class Collector implements ISVNEditor {
    final Set<String> deleted = new HashSet<>();
    final Set<String> added = new HashSet<>();
    final Set<String> addedDirs = new HashSet<>();
    final Set<String> modified = new HashSet<>();
    boolean externals;

    @Override
    public void deleteEntry(String path, long revision) {
      deleted.add(path);
    }

    @Override
    public void absentDir(String path) {
      deleted.add(path); // hidden from this user by authz: an export leaves it out too
    }

    @Override
    public void absentFile(String path) {
      deleted.add(path);
    }

    @Override
    public void addDir(String path, String copyFromPath, long copyFromRevision) {
      if (!addedDirs.contains(parent(path))) {
        added.add(path);
      }
      addedDirs.add(path);
    }

    @Override
    public void addFile(String path, String copyFromPath, long copyFromRevision) {
      if (!addedDirs.contains(parent(path))) {
        added.add(path);
      }
    }

    @Override
    public void openFile(String path, long revision) {
      modified.add(path); // the server opens a file only when its text or properties changed
    }

    @Override
    public void changeDirProperty(String name, SVNPropertyValue value) {
      if (SVNProperty.EXTERNALS.equals(name)) {
        externals = true;
      }
    }

    @Override
    public void targetRevision(long revision) {}

    @Override
    public void openRoot(long revision) {}

    @Override
    public void openDir(String path, long revision) {}

    @Override
    public void closeDir() {}

    @Override
    public void changeFileProperty(String path, String name, SVNPropertyValue value) {}

    @Override
    public void closeFile(String path, String textChecksum) {}

    @Override
    public SVNCommitInfo closeEdit() {
      return null;
    }

    @Override
    public void abortEdit() {}

    @Override
    public void applyTextDelta(String path, String baseChecksum) {}

    @Override
    public OutputStream textDeltaChunk(String path, SVNDiffWindow diffWindow) {
      return SVNFileUtil.DUMMY_OUT;
    }

    @Override
    public void textDeltaEnd(String path) {}
  }
}
