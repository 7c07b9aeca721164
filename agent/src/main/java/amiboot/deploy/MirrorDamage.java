package amiboot.deploy;

import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.CorruptPackIndexException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.PackInvalidException;
import org.eclipse.jgit.errors.PackMismatchException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * A repository cache git can no longer use: a crash while it was written (a file left empty or
 * zero-filled), a disk error, a hand edit. The cache only saves a full clone, so damage is
 * never worth failing a deploy for: {@link GitSource} sets the cache aside and clones again.
 *
 * <p>Two ways to find it. {@link #inspect} looks at the shape of the mirror before git reads it
 * (a directory, a HEAD, a config git can parse, each pack whole as its index knows it): a few
 * small reads, nothing inflated. Damage inside a pack only shows when an object is read, as one of
 * the exceptions {@link #of} knows, during the fetch, the resolve or the export.
 */
final class MirrorDamage {
  /** A pack's header (PACK, version, object count) and trailer (its SHA-1): what an empty or cut pack lacks. */
  private static final int PACK_HEADER = 12;
  private static final int CHECKSUM = 20;

  private MirrorDamage() {}

  /** What makes the mirror at {@code mirror} unusable, in words; empty when it looks whole (or is not there). */
  static Optional<String> inspect(Path mirror) {
    if (!Files.exists(mirror, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    // a link to a directory elsewhere (a bigger disk) is the operator's choice; a dangling one is damage
    if (!Files.isDirectory(mirror)) {
      return Optional.of("not a directory");
    }
    if (!Files.isDirectory(mirror.resolve("objects"))) {
      return Optional.of("no objects directory");
    }
    return badHead(mirror.resolve("HEAD")).or(() -> badConfig(mirror.resolve("config")))
        .or(() -> badPack(mirror.resolve("objects/pack")));
  }

  /**
   * The damage a failure shows, in words: {@code e} or a cause is what reading a damaged object
   * store throws. A missing object counts: JGit drops a pack it finds damaged, and then the
   * objects in it are missing.
   */
  static Optional<String> of(Throwable e) {
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause).filter(MirrorDamage::isDamage).findFirst()
        .map(t -> Messages.oneLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
  }

  private static boolean isDamage(Throwable t) {
    return t instanceof MissingObjectException || t instanceof CorruptObjectException || t instanceof PackInvalidException
        || t instanceof PackMismatchException || t instanceof CorruptPackIndexException || t instanceof DataFormatException
        || t.getMessage() != null && t.getMessage().matches("(?s).*(Short compressed stream|Packfile .*is truncated|Not a PACK file).*");
  }

  /** HEAD as git accepts it: a symbolic ref under refs/, or an object id. */
  private static Optional<String> badHead(Path head) {
    String line;
    try (InputStream in = Files.newInputStream(head, LinkOption.NOFOLLOW_LINKS)) {
      line = new String(in.readNBytes(256), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    } catch (IOException e) {
      return Optional.of("HEAD unreadable (" + e.getMessage() + ")");
    }
    if (line.startsWith("ref: refs/") || ObjectId.isId(line)) {
      return Optional.empty();
    }
    return Optional.of("HEAD is neither a ref nor a commit id ('" + Messages.shown(line, 40) + "')");
  }

  /** The mirror's own config only (not the system's or the user's, which are not the cache's). */
  private static Optional<String> badConfig(Path config) {
    try {
      new FileBasedConfig(null, config.toFile(), FS.DETECTED).load();
      return Optional.empty();
    } catch (IOException | ConfigInvalidException e) {
      return Optional.of("config unreadable (" + Messages.oneLine(e.getMessage()) + ")");
    }
  }

  /**
   * Each indexed pack starts as a pack does and ends with the checksum its index records (JGit's
   * own check when it opens a pack). A pack without its index is not used by git yet: not damage.
   */
  private static Optional<String> badPack(Path packDir) {
    if (!Files.isDirectory(packDir, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> indexes = Files.newDirectoryStream(packDir, "pack-*.idx")) {
      for (Path idx : indexes) {
        Path pack = packDir.resolve(idx.getFileName().toString().replaceFirst("\\.idx$", ".pack"));
        Optional<String> bad = Files.exists(pack, LinkOption.NOFOLLOW_LINKS) ? badPack(pack, idx)
            : Optional.empty();
        if (bad.isPresent()) {
          return bad;
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("packs unreadable (" + e.getMessage() + ")");
    }
  }

  private static Optional<String> badPack(Path pack, Path idx) throws IOException {
    String name = "objects/pack/" + pack.getFileName();
    try (RandomAccessFile p = new RandomAccessFile(pack.toFile(), "r"); RandomAccessFile i = new RandomAccessFile(idx.toFile(), "r")) {
      if (p.length() < PACK_HEADER + CHECKSUM) {
        return Optional.of(name + " is " + (p.length() == 0 ? "empty" : "cut short (" + p.length() + " bytes)"));
      }
      byte[] signature = new byte[4];
      p.readFully(signature);
      if (!Arrays.equals(signature, "PACK".getBytes(StandardCharsets.US_ASCII))) {
        return Optional.of(name + " is not a pack file (overwritten?)");
      }
      if (i.length() < 2 * CHECKSUM) {
        return Optional.of(name + ": its index is cut short (" + i.length() + " bytes)");
      }
      return Arrays.equals(tail(p, CHECKSUM, 0), tail(i, CHECKSUM, CHECKSUM)) ? Optional.empty()
          : Optional.of(name + " does not end with the checksum its index records (cut short or overwritten)");
    }
  }

  /** {@code length} bytes that end {@code fromEnd} bytes before the end of the file. */
  private static byte[] tail(RandomAccessFile file, int length, int fromEnd) throws IOException {
    byte[] bytes = new byte[length];
    file.seek(file.length() - fromEnd - length);
    file.readFully(bytes);
    return bytes;
  }
}
