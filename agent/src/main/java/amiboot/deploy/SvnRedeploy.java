package amiboot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tmatesoft.svn.core.SVNException;

/**
 * A release built from the base release plus the changes since its revision: every file the
 * changes do not touch is the base's file, hard-linked (when {@link BaseFiles} vouches for it);
 * what changed, and what the base can no longer offer (edited in place, deleted, behind a shared
 * symlink, a symlink itself), is fetched in one request. Nothing else is transferred or written.
 */
final class SvnRedeploy {
  private final SvnExportWriter writer;
  private final BaseFiles baseFiles;

  SvnRedeploy(SvnExportWriter writer, BaseFiles baseFiles) {
    this.writer = writer;
    this.baseFiles = baseFiles;
  }

  /**
   * Builds {@code dest} (which does not exist yet) as an export of {@code revision}, given the
   * base's manifest and the changes from the base's revision; returns the new release's manifest.
   * Empty when the server's answer did not complete the tree; {@code dest} is then unusable and
   * the caller exports afresh.
   */
  Optional<SvnManifest> build(SvnManifest base, SvnChanges changes, long revision, Path dest) throws IOException, SVNException {
    Files.createDirectory(dest);
    List<SvnManifest.Entry> reused = new ArrayList<>(base.entries().size());
    List<String> fetch = new ArrayList<>(changes.added());
    fetch.addAll(changes.modified());
    for (SvnManifest.Entry entry : base.entries()) {
      if (changes.touches(entry.path())) {
        continue; // deleted, or fetched as added or modified
      }
      if (reuse(entry, dest.resolve(entry.path()))) {
        reused.add(entry);
      } else {
        fetch.add(entry.path());
      }
    }
    Optional<List<SvnManifest.Entry>> fetched = fetch.isEmpty() ? Optional.of(List.of()) : writer.writeOnly(revision, dest, fetch);
    return fetched.map(f -> {
      reused.addAll(f); // after the base's entries: every parent is listed before its children
      return new SvnManifest(List.copyOf(reused));
    });
  }

  /** Puts the base's unchanged entry in place; false when it must be fetched instead. */
  private boolean reuse(SvnManifest.Entry entry, Path target) throws IOException {
    return switch (entry.kind()) {
      case DIR -> {
        Files.createDirectory(target);
        yield true;
      }
      case FILE -> baseFiles.link(entry.path(), target, entry.size(), entry.executable());
      case LINK -> false; // rare, and BaseFiles only vouches for regular files
    };
  }
}
