package amiboot.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/** What a crash, a disk error or a hand can do to the repository cache (deploy_to/repo), done to a real mirror. */
public enum CacheDamage {
  /** HEAD overwritten with something that is neither a ref nor a commit id. */
  GARBAGE_HEAD {
    @Override
    void applyTo(Path mirror) throws IOException {
      Files.writeString(mirror.resolve("HEAD"), "garbage\n");
    }
  },
  /** The pack left empty: a crash before the kernel wrote it back. */
  EMPTY_PACK {
    @Override
    void applyTo(Path mirror) throws IOException {
      Files.write(largestPack(mirror), new byte[0]);
    }
  },
  /** The pack's blocks zeroed, its size kept: what some file systems leave after a crash. */
  ZEROED_PACK {
    @Override
    void applyTo(Path mirror) throws IOException {
      Path pack = largestPack(mirror);
      Files.write(pack, new byte[(int) Files.size(pack)]);
    }
  },
  /**
   * Bytes inside one object overwritten, the pack's header and checksum intact: nothing shows
   * until the object is read. The object is the root tree of HEAD's commit, which every export
   * reads (the new commit's tree, or the base release's to compare with).
   */
  DAMAGED_OBJECT {
    @Override
    void applyTo(Path mirror) throws IOException {
      try (Git git = Git.open(mirror.toFile())) {
        Repository repo = git.getRepository();
        ObjectId tree = repo.resolve("HEAD^{tree}");
        for (Pack pack : ((ObjectDirectory) repo.getObjectDatabase()).getPacks()) {
          if (pack.hasObject(tree)) {
            long offset = pack.getIndex().findOffset(tree);
            try (RandomAccessFile file = new RandomAccessFile(pack.getPackFile(), "rw")) {
              file.seek(offset + 4); // past the object's header: into its compressed data
              file.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x12, 0x34, 0x56, 0x78});
            }
            return;
          }
        }
        throw new IllegalStateException("HEAD's tree is in no pack of " + mirror);
      }
    }
  },
  /** The whole cache replaced by a regular file. */
  NOT_A_DIRECTORY {
    @Override
    void applyTo(Path mirror) throws IOException {
      deleteTree(mirror);
      Files.writeString(mirror, "not a repository\n");
    }
  };

  abstract void applyTo(Path mirror) throws IOException;

  public void apply(Path mirror) {
    try {
      applyTo(mirror);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path largestPack(Path mirror) throws IOException {
    try (Stream<Path> files = Files.list(mirror.resolve("objects/pack"))) {
      return files.filter(p -> p.toString().endsWith(".pack")).max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow(() -> new IllegalStateException("no pack in " + mirror));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
