package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --config that is not a readable UTF-8 file, or that would deploy into a system directory:
 * validate and boot exit 65 with one line that says why.
 */
class BadConfigFileTest {
  @TempDir Path temp;
  private Box box;

  @BeforeEach
  void setUp() {
    box = new Box(temp.resolve("box"));
    box.config("type: git\nurl: /srv/git/payroll\n");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  /** One line on stderr holding {@code expected}, exit 65, for both commands; nothing else on the box changed. */
  private void assertRefused(Path config, String expected) {
    for (String command : List.of("validate", "boot")) {
      CliProcess.Result result = box.run(command, "--config", config.toString()).assertExit(65);
      String error = result.stderr().strip();
      assertEquals(1, error.lines().count(), command + ": one line: " + result);
      assertTrue(result.all().contains(expected), command + ": " + result); // validate lists problems on stdout
    }
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  @Test
  @Timeout(60) // a hang, not a slow failure, is the defect
  void aFifo_isRefusedAtOnce_notReadUntilSomeoneWrites() throws Exception {
    Path fifo = temp.resolve("amiboot.yml");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());

    assertRefused(fifo, "config " + fifo + " is not a regular file (a FIFO, a device, ...): give the YAML file with --config FILE");
  }

  @Test
  void aDirectory_isRefused_sayingSo() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("conf.d"));

    assertRefused(dir, "config " + dir + " is a directory");
  }

  @Test
  void invalidUtf8_namesTheByteAndTheLine() throws Exception {
    // An é as an editor saving in ISO-8859-1 writes it: one byte, 0xe9, which UTF-8 cannot start with.
    Files.write(box.config, "deploy_to: /srv/app\nrole: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertRefused(box.config, "config " + box.config + " is not valid UTF-8 at byte 29 (line 2): save it as UTF-8");
  }

  @Test
  void aFileAmibootMayNotRead_saysPermissionDenied() throws Exception {
    Files.setPosixFilePermissions(box.config, PosixFilePermissions.fromString("---------"));
    // Root reads any file; without the capabilities that let it, root is held to the file's mode.
    List<String> lessThanRoot = List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--");

    CliProcess.Result result = CliProcess.runUnder(lessThanRoot, box.root.resolve("work"), Map.of(), Duration.ofMinutes(1),
        "validate", "--config", box.config.toString()).assertExit(65);

    assertEquals("amiboot: validate failed: cannot read config file (" + box.config + "): permission denied; run amiboot"
        + " as root or make the file readable", result.stderr().strip(), result.toString());
  }

  @Test
  void deployToASystemDirectory_isRefused_andNothingIsWrittenThere() {
    // /tmp rather than /: were it not refused, the boot would write into the file system's root.
    box.configText(box.smallPayrollConfig("type: git\nurl: /srv/git/payroll\n", "")
        .replace("deploy_to: " + box.deployTo, "deploy_to: /var/../tmp/"));
    Map<String, String> before = box.snapshot();

    assertRefused(box.config, "deploy_to: '/tmp' is a system directory: releases/, shared/ and current would be written into it");

    assertTrue(Files.notExists(Path.of("/tmp/releases")) && Files.notExists(Path.of("/tmp/current")), "nothing in /tmp");
    before.keySet().removeIf(k -> k.startsWith("var"));
    Map<String, String> after = box.snapshot();
    after.keySet().removeIf(k -> k.startsWith("var"));
    assertEquals(before, after);
  }
}
