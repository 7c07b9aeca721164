package amiboot.hosts;

import amiboot.io.AtomicFiles;
import amiboot.io.RootOnly;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/** Applies managed entries to a hosts file: atomically, and only when the text changes. */
public final class HostsUpdate {
  /**
   * Bytes in, the same bytes out: a hosts file is not always UTF-8, and the lines amiboot does not
   * manage must survive unchanged. Managed entries are ASCII (checked addresses and names).
   */
  private static final java.nio.charset.Charset BYTES = StandardCharsets.ISO_8859_1;

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
    refuseDirectoryOthersCanChange(file); // before a link there is followed: the user could point it at /etc/sudoers
    Path target = target(file);
    refuseDirectoryOthersCanChange(target);
    Change change = preview(target, entries);
    if (change.changed()) {
      try {
        AtomicFiles.write(target, change.after().getBytes(BYTES), PosixFilePermissions.fromString("rw-r--r--"));
      } catch (IOException e) {
        throw new CannotWriteException("cannot write the hosts file (" + target + "): " + Messages.describe(e)
            + "; it is unchanged", e);
      }
    }
    return change;
  }

  /**
   * As root, the hosts file is replaced through a temp file beside it: in a directory another user
   * can write, that user could swap the temp file or the name, and root would write elsewhere.
   */
  private static void refuseDirectoryOthersCanChange(Path target) throws BootException {
    try {
      Optional<String> why = RootOnly.whyNotWhenRoot(target.toAbsolutePath().getParent());
      if (why.isPresent()) {
        throw new CannotWriteException("cannot write the hosts file (" + target + "): its directory is not root's alone ("
            + why.get() + "); as root, amiboot writes it only where no other user can; it is unchanged");
      }
    } catch (IOException e) {
      throw new CannotWriteException("cannot check the hosts file's directory (" + target + "): " + Messages.describe(e), e);
    }
  }

  /**
   * The file to replace: a symlinked hosts file (some images link /etc/hosts elsewhere) is
   * written where it points, or the rename would turn the link into a plain file.
   */
  private static Path target(Path file) throws BootException {
    if (!Files.isSymbolicLink(file)) {
      return file;
    }
    try {
      return file.toRealPath();
    } catch (IOException e) {
      throw new CannotWriteException("the hosts file (" + file + ") is a symlink to nothing: " + Messages.describe(e), e);
    }
  }

  private static String read(Path file) throws BootException {
    try {
      return new String(Files.readAllBytes(file), BYTES);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new CannotWriteException("cannot read the hosts file (" + file + "): " + Messages.describe(e), e);
    }
  }
}
