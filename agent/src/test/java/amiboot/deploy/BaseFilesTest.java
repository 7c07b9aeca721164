package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseFilesTest {
  @TempDir Path tmp;
  private Path base;
  private Path dest;
  private BaseFiles files;

  @BeforeEach
  void setUp() throws IOException {
    base = tmp.resolve("releases/20261122000000");
    Files.createDirectories(base.resolve("app"));
    Files.writeString(base.resolve("app/a.txt"), "hello");
    Files.writeString(base.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(base.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(tmp.resolve("shared/log"));
    Files.writeString(tmp.resolve("shared/log/x.log"), "hello");
    Files.createSymbolicLink(base.resolve("log"), tmp.resolve("shared/log"));
    Files.writeString(base.resolve("REVISION"), "abc\n");
    Files.setLastModifiedTime(base.resolve("REVISION"), FileTime.from(Instant.now().plusSeconds(1)));
    dest = tmp.resolve("releases/new");
    Files.createDirectories(dest.resolve("app"));
    Files.createDirectories(dest.resolve("log"));
    files = BaseFiles.of(Optional.of(new BaseRelease(base, "abc"))).orElseThrow();
  }

  @Test
  void anUnchangedFile_isTheSameInode() throws IOException {
    assertTrue(files.link("app/a.txt", dest.resolve("app/a.txt"), 5, false));
    assertTrue(files.link("run.sh", dest.resolve("run.sh"), 10, true));

    assertEquals(Files.getAttribute(base.resolve("app/a.txt"), "unix:ino"), Files.getAttribute(dest.resolve("app/a.txt"), "unix:ino"));
    assertEquals("hello", Files.readString(dest.resolve("app/a.txt")));
  }

  @Test
  void aFileEditedInPlaceAfterTheDeploy_isNotReused() throws IOException {
    Files.setLastModifiedTime(base.resolve("app/a.txt"), FileTime.from(Instant.now().plusSeconds(60)));

    assertFalse(files.link("app/a.txt", dest.resolve("app/a.txt"), 5, false));
    assertFalse(Files.exists(dest.resolve("app/a.txt")));
  }

  @Test
  void anotherSizeOrExecutableBit_isNotReused() {
    assertFalse(files.link("app/a.txt", dest.resolve("app/a.txt"), 6, false));
    assertFalse(files.link("run.sh", dest.resolve("run.sh"), 10, false));
  }

  @Test
  void aFileBehindASharedSymlink_orOutsideTheRelease_isNotReused() {
    assertFalse(files.link("log/x.log", dest.resolve("log/x.log"), 5, false));
    assertFalse(files.link("../../shared/log/x.log", dest.resolve("app/b.txt"), 5, false));
    assertFalse(files.link("missing.txt", dest.resolve("missing.txt"), 5, false));
    assertFalse(Files.exists(dest.resolve("log/x.log"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void theBasesRevisionFile_isNeverReused() {
    // a repository with a 4-byte REVISION file of its own, unchanged: the base's is the deploy's
    assertFalse(files.link("REVISION", dest.resolve("REVISION"), 4, false));
    assertFalse(Files.exists(dest.resolve("REVISION")));
  }

  @Test
  void aBaseWithoutRevisionFile_offersNothing() throws IOException {
    Files.delete(base.resolve("REVISION"));

    assertTrue(BaseFiles.of(Optional.of(new BaseRelease(base, "abc"))).isEmpty());
    assertTrue(BaseFiles.of(Optional.empty()).isEmpty());
  }
}
