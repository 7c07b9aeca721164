package amiboot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a killed fetch (or gc) leaves in the bare mirror: lock files that make the next fetch fail
 * ("cannot lock refs/heads/main", "cannot lock config"), temporary pack files, and the .keep
 * file a fetch puts on its new pack until the refs point into it. Only valid while amiboot holds
 * its own lock: then no other git process writes to the mirror, so every such file is stale.
 * Complete packs and loose objects are never touched; objects that no ref reaches yet are
 * harmless (the next fetch finds them and does not ask for them again).
 */
final class MirrorLeftovers {
  private MirrorLeftovers() {}

  /** Removes the leftovers; returns how many files were removed. */
  static int remove(Path mirror) throws IOException {
    int removed = 0;
    // HEAD.lock, config.lock, packed-refs.lock, shallow.lock, index.lock, FETCH_HEAD.lock, gc.log.lock; JGit's gc.pid
    removed += removeIn(mirror, "{*.lock,gc.pid}");
    removed += removeLocksUnder(mirror.resolve("refs"));
    removed += removeLocksUnder(mirror.resolve("logs"));
    // JGit: incoming_*.pack/.idx (fetch), noz* (loose object); git: tmp_obj_*, tmp_pack_*, tmp_idx_*
    removed += removeIn(mirror.resolve("objects"), "{incoming_*,noz*,tmp_*}");
    // JGit: gc_*_tmp, insert_*; git: tmp_pack_*, tmp_idx_*, .tmp-*; amiboot's own pack consolidation: *.tmp
    removed += removeIn(mirror.resolve("objects/pack"), "{gc_*_tmp,insert_*,tmp_*,.tmp-*,*.tmp}");
    removed += removeIn(mirror.resolve("objects/info"), "{commit_*_tmp,*.lock}");
    removed += removeFetchKeeps(mirror.resolve("objects/pack"));
    return removed;
  }

  private static int removeIn(Path dir, String glob) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path file : files) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(file)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private static int removeLocksUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".lock") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && Files.deleteIfExists(file)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * A fetch marks its new pack with a .keep ("jgit fetch URL", git's "fetch-pack PID on HOST")
   * and removes it once the refs are updated; left behind, it would keep that pack out of every
   * repack for good. A .keep with any other content was put there on purpose and stays.
   */
  private static int removeFetchKeeps(Path packDir) throws IOException {
    if (!Files.isDirectory(packDir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> keeps = Files.newDirectoryStream(packDir, "pack-*.keep")) {
      for (Path keep : keeps) {
        String why = Files.readString(keep, StandardCharsets.ISO_8859_1);
        if ((why.startsWith("jgit fetch ") || why.startsWith("fetch-pack ")) && Files.deleteIfExists(keep)) {
          removed++;
        }
      }
    }
    return removed;
  }
}
