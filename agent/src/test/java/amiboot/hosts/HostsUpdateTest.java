package amiboot.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsUpdateTest {
  private static final List<HostsEntry> DB = List.of(new HostsEntry("10.126.17.1", "dbhost"));

  @TempDir Path dir;

  @Test
  void apply_symlinkedHostsFile_writesWhereItPoints_andKeepsTheLink() throws Exception {
    Path real = dir.resolve("etc/hosts.real");
    Files.createDirectories(real.getParent());
    Files.writeString(real, "127.0.0.1 localhost\n");
    Path link = dir.resolve("etc/hosts");
    Files.createSymbolicLink(link, Path.of("hosts.real"));

    HostsUpdate.apply(link, DB);

    assertTrue(Files.isSymbolicLink(link), "still a link");
    assertEquals("127.0.0.1 localhost\n10.126.17.1 dbhost\n", Files.readString(real));
  }

  @Test
  void apply_bytesThatAreNotUtf8_surviveUnchanged() throws Exception {
    ByteArrayOutputStream before = new ByteArrayOutputStream();
    before.writeBytes("127.0.0.1 localhost # caf".getBytes(StandardCharsets.US_ASCII));
    before.write(0xE9); // 'é' in Latin-1: not valid UTF-8 on its own
    before.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
    Path hosts = dir.resolve("hosts");
    Files.write(hosts, before.toByteArray());

    HostsUpdate.apply(hosts, DB);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(before.toByteArray());
    expected.writeBytes("10.126.17.1 dbhost\n".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(hosts));
  }

  @Test
  void apply_missingDirectory_saysSoInWords() {
    Path hosts = dir.resolve("no-such-dir/hosts");

    var e = org.junit.jupiter.api.Assertions.assertThrows(amiboot.pipeline.CannotWriteException.class,
        () -> HostsUpdate.apply(hosts, DB));

    assertTrue(e.getMessage().contains("no such file or directory"), e.getMessage());
  }
}
