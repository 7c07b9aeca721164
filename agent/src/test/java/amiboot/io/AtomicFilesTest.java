package amiboot.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void write_removesTheTempFileAKilledWriterLeft_andNothingElse() throws IOException {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "old\n");
    Files.writeString(dir.resolve(".hosts.1234567.tmp"), "half a fi");
    Files.writeString(dir.resolve(".hostname.1.tmp"), "someone else's");

    AtomicFiles.write(hosts, "new\n".getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));

    assertEquals("new\n", Files.readString(hosts));
    assertEquals(List.of(".hostname.1.tmp", "hosts"), names());
  }

  @Test
  void replaceSymlink_removesTheLinkAKilledSwitchLeft() throws IOException {
    Files.createDirectories(dir.resolve("releases/a"));
    Files.createDirectories(dir.resolve("releases/b"));
    Files.createSymbolicLink(dir.resolve("current"), dir.resolve("releases/a"));
    Files.createSymbolicLink(dir.resolve(".current.new-99999"), dir.resolve("releases/a"));

    AtomicFiles.replaceSymlink(dir.resolve("current"), dir.resolve("releases/b"));

    assertEquals(dir.resolve("releases/b"), Files.readSymbolicLink(dir.resolve("current")));
    assertEquals(List.of("current", "releases"), names());
  }

  private List<String> names() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
