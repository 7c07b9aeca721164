package amiboot.deploy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * Keeps the mirror's pack count bounded without ever rewriting its largest pack (the first
 * clone's, nearly everything). Each fetch adds one small pack. When there are more than
 * {@code maxPacks}, the small ones (every pack but the largest) are merged into one, so the cost
 * is that of what was fetched since the clone, not of the whole history: what git's geometric
 * repack does, and what JGit's gc cannot (it repacks every object; see GitSource#configure).
 *
 * <p>Crash-safe: the merged pack is written under a temp name, synced, and renamed into place
 * before any merged pack is deleted, so every object is always in at least one complete pack.
 * A killed merge leaves a *.tmp file ({@link MirrorLeftovers} removes it) or duplicate objects
 * (harmless; merged again next time).
 */
final class PackConsolidation {
  /** git's gc.autoPackLimit. */
  static final int MAX_PACKS = 50;

  private final int maxPacks;

  PackConsolidation(int maxPacks) {
    this.maxPacks = maxPacks;
  }

  /** Merges the small packs when there are too many; returns how many packs were merged (0: nothing to do). */
  int run(Repository repo) throws IOException {
    if (!(repo.getObjectDatabase() instanceof ObjectDirectory objects)) {
      return 0;
    }
    List<Pack> packs = new ArrayList<>(objects.getPacks().stream().filter(p -> !p.shouldBeKept()).toList());
    if (packs.size() <= maxPacks) {
      return 0;
    }
    packs.sort(Comparator.comparingLong((Pack p) -> p.getPackFile().length()).reversed());
    List<Pack> small = packs.subList(1, packs.size());
    String merged = writeMerged(repo, small, objects.getPackDirectory().toPath());
    for (Pack pack : small) {
      // after a merge killed before its deletes, the same small packs merge into the same name again
      if (!pack.getPackFile().getName().equals(merged + ".pack")) {
        delete(pack);
      }
    }
    return small.size();
  }

  /** Writes the merged pack into place; returns its name (pack-SHA1). */
  private static String writeMerged(Repository repo, List<Pack> small, Path packDir) throws IOException {
    Path tmpPack = Files.createTempFile(packDir, "amiboot_", ".pack.tmp");
    Path tmpIdx = Files.createTempFile(packDir, "amiboot_", ".idx.tmp");
    try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader);
        PackWriter writer = new PackWriter(new PackConfig(repo), reader)) {
      writer.setDeltaBaseAsOffset(true);
      writer.preparePack(objectsOf(small, walk, reader).iterator());
      try (OutputStream out = synced(tmpPack)) {
        writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, out);
      }
      try (OutputStream out = synced(tmpIdx)) {
        writer.writeIndex(out);
      }
      String name = "pack-" + writer.computeName().name();
      // the pack before its index: git and JGit only see a pack once its .idx is there
      Files.move(tmpPack, packDir.resolve(name + ".pack"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpIdx, packDir.resolve(name + ".idx"), StandardCopyOption.ATOMIC_MOVE);
      return name;
    } finally {
      Files.deleteIfExists(tmpPack);
      Files.deleteIfExists(tmpIdx);
    }
  }

  /** Every object of the given packs, once each, with its type (PackWriter needs it). */
  private static Set<RevObject> objectsOf(List<Pack> packs, RevWalk walk, ObjectReader reader) throws IOException {
    Set<RevObject> all = new LinkedHashSet<>();
    for (Pack pack : packs) {
      for (PackIndex.MutableEntry entry : pack) {
        var id = entry.toObjectId();
        all.add(walk.lookupAny(id, reader.open(id).getType()));
      }
    }
    return all;
  }

  /** An output stream whose content is on disk when it is closed (fsync), like JGit's own pack files. */
  private static OutputStream synced(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    return new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024) {
      @Override
      public void close() throws IOException {
        try (channel) {
          flush();
          channel.force(true);
        }
      }
    };
  }

  /** The index first: without it no reader looks at the pack any more. */
  private static void delete(Pack pack) throws IOException {
    Path packFile = pack.getPackFile().toPath();
    String base = packFile.getFileName().toString().replaceFirst("\\.pack$", "");
    pack.close();
    Path dir = packFile.getParent();
    Files.deleteIfExists(dir.resolve(base + ".idx"));
    Files.deleteIfExists(packFile);
    for (String ext : List.of(".bitmap", ".rev", ".mtimes")) {
      Files.deleteIfExists(dir.resolve(base + ext));
    }
  }
}
