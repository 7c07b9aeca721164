package amiboot.deploy;

import java.nio.file.Path;

/**
 * A complete release already on the box (the one {@code current} points at) that a new release
 * may be built from: files unchanged between its revision and the new one need not be fetched or
 * rewritten. Its {@code REVISION} file was written after its last file, so a file modified in
 * place since the deploy has a newer modification time than {@link #revisionFile()}.
 */
public record BaseRelease(Path dir, String revision) {
  public Path revisionFile() {
    return dir.resolve("REVISION");
  }
}
