package amiboot.cli;

import amiboot.metadata.RawUserData;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The user-data validate and simulate are given: as text, or as a file, which may hold what a
 * flag cannot (gzip-compressed user-data, as cloud-init and a boot read it). One or the other.
 */
final class UserDataOptions {
  @Option(names = "--user-data", paramLabel = "TEXT", required = true,
      description = "User-data in any form a boot reads: DB=10.126.17.1;ROLE=app, KEY=VALUE lines, YAML, #cloud-config.")
  String text;

  @Option(names = "--user-data-file", paramLabel = "FILE", required = true,
      description = "User-data read from FILE, as the metadata service would serve it (gzip-compressed or not).")
  Path file;

  /** What was given; {@code options} is null when neither was. */
  static Optional<RawUserData> read(UserDataOptions options) throws BadInputException {
    if (options == null) {
      return Optional.empty();
    }
    if (options.text != null) {
      return Optional.of(RawUserData.utf8(options.text));
    }
    return Optional.of(readFile(options.file));
  }

  private static RawUserData readFile(Path file) throws BadInputException {
    try {
      // A FIFO would block the read until someone writes to it.
      if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
        throw new BadInputException("--user-data-file " + file + " is not a regular file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        // One byte past the bound, so that the parser says it is too large.
        return new RawUserData(in.readNBytes(RawUserData.MAX_BYTES + 1));
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read --user-data-file: " + Messages.describe(e));
    }
  }
}
