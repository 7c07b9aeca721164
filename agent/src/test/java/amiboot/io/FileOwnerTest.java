package amiboot.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Giving files to another owner needs root: skipped otherwise. */
class FileOwnerTest {
  private static final FileOwner APP = new FileOwner(54321, 54322);

  @TempDir Path dir;

  @Test
  void createDirectories_givesTheOwnerWhatItCreates_notWhatExisted() throws IOException {
    assumeTrue(owner(Path.of("/proc/self")).equals("0:0"), "needs root");
    Files.createDirectories(dir.resolve("shared"));

    APP.createDirectories(dir.resolve("shared/tmp/pids"));

    assertEquals("54321:54322", owner(dir.resolve("shared/tmp")));
    assertEquals("54321:54322", owner(dir.resolve("shared/tmp/pids")));
    assertEquals("0:0", owner(dir.resolve("shared")));
  }

  private static String owner(Path path) throws IOException {
    return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
  }
}
