package amiboot.hosts;

import amiboot.io.AtomicFiles;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Applies managed entries to a hosts file: atomically, and only when the text changes. */
public final class HostsUpdate {
  private HostsUpdate() {}

  /** What the file would become; {@code changed} is false when it already holds the entries. */
  public record Change(String before, String after) {
    public boolean changed() {
      return !before.equals(after);
    }
  }

  public static Change preview(Path file, List<HostsEntry> entries) throws BootException {
    String before = read(file);
    return new Change(before, HostsFile.merge(before, entries));
  }

  public static Change apply(Path file, List<HostsEntry> entries) throws BootException {
    Change change = preview(file, entries);
    if (change.changed()) {
      try {
        AtomicFiles.write(file, change.after().getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
      } catch (IOException e) {
        throw new CannotWriteException("cannot write the hosts file (" + file + "): " + e.getMessage()
            + "; it is unchanged", e);
      }
    }
    return change;
  }

  private static String read(Path file) throws BootException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new CannotWriteException("cannot read the hosts file (" + file + "): " + e.getMessage(), e);
    }
  }
}
