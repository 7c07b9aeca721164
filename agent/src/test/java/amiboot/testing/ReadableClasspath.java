package amiboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The test class path, readable by every user: as root with {@code user:}, amiboot runs the work
 * under deploy_to in a JVM of the app's user, launched with amiboot's own class path, and Maven's
 * repository lies under /root (mode 0700) here. Jars that other users cannot reach are copied
 * once per test JVM into a world-readable directory; an installed amiboot has its jar in
 * /usr/share, readable by all.
 */
final class ReadableClasspath {
  private static final String VALUE = build(System.getProperty("java.class.path"));

  private ReadableClasspath() {}

  static String value() {
    return VALUE;
  }

  private static String build(String classpath) {
    try {
      Path copies = null;
      List<String> entries = new ArrayList<>();
      for (String entry : classpath.split(":")) {
        Path path = Path.of(entry);
        if (entry.isEmpty() || readableByOthers(path) || !Files.isRegularFile(path)) {
          entries.add(entry);
          continue;
        }
        if (copies == null) {
          copies = Files.createTempDirectory("amiboot-test-classpath", PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwxr-xr-x")));
          copies.toFile().deleteOnExit();
        }
        Path copy = copies.resolve(entries.size() + "-" + path.getFileName());
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        copy.toFile().deleteOnExit();
        entries.add(copy.toString());
      }
      return String.join(":", entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Readable, and every directory above it searchable, by a user who is neither owner nor group. */
  private static boolean readableByOthers(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    if (!Files.exists(p) || !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_READ)) {
      return false;
    }
    for (Path dir = p.getParent(); dir != null; dir = dir.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }
}
