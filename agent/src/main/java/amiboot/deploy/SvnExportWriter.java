package amiboot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tmatesoft.svn.core.SVNDepth;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNURL;
import org.tmatesoft.svn.core.io.SVNRepository;
import org.tmatesoft.svn.core.wc.ISVNOptions;

/**
 * Exports over the session amiboot already has open, the whole tree or some paths only, through
 * {@link SvnTreeEditor} (which writes files as SVNKit's export does).
 */
final class SvnExportWriter {
  private final SVNRepository session;
  private final ISVNOptions options;

  SvnExportWriter(SVNRepository session, ISVNOptions options) {
    this.session = session;
    this.options = options;
  }

  /**
   * The whole tree at {@code revision} into {@code dest}, which does not exist yet; returns what
   * it wrote. Empty when the tree has svn:externals: this writes only the tree itself, and the
   * caller must export with SVNKit's client instead, which follows them.
   */
  Optional<SvnManifest> writeAll(long revision, Path dest) throws SVNException, IOException {
    SvnTreeEditor editor = editor(dest);
    session.update(revision, null, SVNDepth.INFINITY, false, reporter -> {
      reporter.setPath("", null, revision, SVNDepth.INFINITY, true);
      reporter.finishReport();
    }, editor);
    Files.createDirectories(dest); // an empty tree sends nothing to create it
    return editor.externals().isEmpty() ? Optional.of(new SvnManifest(List.copyOf(editor.added()))) : Optional.empty();
  }

  /**
   * Only {@code paths} (files or whole directories, relative to the URL) at {@code revision}, into
   * {@code dest} where the rest of the tree is already in place; returns what it wrote. The report
   * tells the server that everything is at {@code revision} except these paths, which are missing:
   * it sends them whole, and nothing else. Empty when the answer is not that (a path it did not
   * send, one it sent as a change, svn:externals): then {@code dest} is incomplete.
   */
  Optional<List<SvnManifest.Entry>> writeOnly(long revision, Path dest, Collection<String> paths) throws SVNException {
    SvnTreeEditor editor = editor(dest);
    List<String> missing = treeOrder(paths);
    session.update(revision, null, SVNDepth.INFINITY, false, reporter -> {
      reporter.setPath("", null, revision, SVNDepth.INFINITY, false);
      for (String path : missing) {
        reporter.deletePath(path);
      }
      reporter.finishReport();
    }, editor);
    boolean complete = !editor.unexpected() && editor.externals().isEmpty()
        && paths.stream().allMatch(p -> Files.exists(dest.resolve(p), LinkOption.NOFOLLOW_LINKS));
    return complete ? Optional.of(editor.added()) : Optional.empty();
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

  private SvnTreeEditor editor(Path dest) throws SVNException {
    return new SvnTreeEditor(dest, withoutUserInfo(session.getLocation()), withoutUserInfo(session.getRepositoryRoot(true)), options);
  }

  /**
   * The URL as $URL$ and $HeadURL$ write it into the release: without user info, which may be a
   * token (amiboot never records one). SVNKit would write it as given.
   */
  static String withoutUserInfo(SVNURL url) throws SVNException {
    if (url.getUserInfo() == null) {
      return url.toString();
    }
    return SVNURL.create(url.getProtocol(), null, url.getHost(), url.hasPort() ? url.getPort() : -1, url.getURIEncodedPath(), true)
        .toString();
  }
}
