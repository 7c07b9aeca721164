package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under deploy_to or state_dir. A deploy by hand exits 73 and leaves the running
 * release alone; a boot serves the release on the box, degraded, and says why where it can.
 * Needs root (a small tmpfs mounted over the directory).
 */
class DiskFullTest {
  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;
  private Path repo;
  private final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root to mount a small tmpfs");
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (box != null) {
      killTheAppServer(); // its pid file may have found no room
      box.close();
    }
    if (elb != null) {
      elb.close();
    }
    for (Path mount : mounts) {
      if (run("umount", mount.toString()) != 0) {
        run("umount", "-l", mount.toString());
      }
    }
  }

  @Test
  void deployOntoAFullDisk_exits73_andCurrentStaysOnTheGoodRelease() throws Exception {
    smallDiskAt(box.deployTo);
    box.instance("m1.small", "DB=10.126.17.1;ROLE=job");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    commitABigFile();

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(73, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("No space left on device"), result.stderr());
    assertTrue(result.stderr().contains("current still points at the previous release"), result.stderr());
    assertEquals(good, box.currentTarget().orElseThrow());
    assertEquals(List.of(good.getFileName().toString()), box.releases(), "no partial release left behind");
    assertTrue(Files.isRegularFile(good.resolve("script/server")), "the good release is intact");
  }

  @Test
  void bootWithNoRoomForTheNewRelease_servesTheCurrentOne_degraded() throws Exception {
    smallDiskAt(box.deployTo);
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    commitABigFile();

    CliProcess.Result result = box.boot();

    assertServesDegraded(result, good);
    assertEquals(List.of(good.getFileName().toString()), box.releases(), "no partial release left behind");
    assertTrue(stateFile().path("degraded").asText().startsWith("disk full at step deploy: cannot write the release"),
        stateFile().toPrettyString());
  }

  @Test
  void bootWithDeployToFull_servesTheCurrentRelease_degraded() throws Exception {
    smallDiskAt(box.deployTo);
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    GitRepos.commit(repo, "VERSION", "2\n", "a release the disk has no room for");
    fill(box.deployTo);

    CliProcess.Result result = box.boot();

    assertServesDegraded(result, good);
    assertTrue(stateFile().path("degraded").asText().matches("(?i)disk full at step deploy: .*no space left on device.*"),
        stateFile().toPrettyString());
  }

  @Test
  void bootWithStateDirFull_servesTheRelease_andSaysOnStderrWhatItCouldNotRecord() throws Exception {
    smallDiskAt(box.stateDir);
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    String recorded = Files.readString(box.stateDir.resolve("state.json"));
    Files.delete(box.stateDir.resolve("amiboot.lock")); // made anew on the full disk: its pid will not fit
    fill(box.stateDir);

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("\nboot degraded in"), result.stdout());
    assertTrue(AppHttp.get(box.appPort).matches("(?s)200 .*Welcome to SmallPayroll.*"), AppHttp.get(box.appPort));
    String error = result.stderr().strip();
    assertEquals(1, error.lines().count(), "one line: " + result);
    assertTrue(error.startsWith("amiboot: boot degraded, not recorded: disk full at step record: cannot write the state file ("
        + box.stateDir.resolve("state.json")), error);
    assertTrue(error.contains("No space left on device") && error.contains("free space in " + box.stateDir), error);
    assertEquals(recorded, Files.readString(box.stateDir.resolve("state.json")), "the last record is whole");
  }

  /** Exit 0, degraded, current untouched and serving, registered, and nothing but amiboot's lines on stderr. */
  private void assertServesDegraded(CliProcess.Result result, Path good) throws IOException {
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("\nboot degraded in"), result.stdout());
    assertTrue(result.stdout().matches("(?s).*\ndeploy +skipped .*disk full at step deploy: .*: serving release "
        + good.getFileName() + "\n.*"), result.stdout());
    assertEquals(good, box.currentTarget().orElseThrow());
    String revision = Files.readString(good.resolve("REVISION")).strip();
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + revision), AppHttp.get(box.appPort));
    assertEquals(java.util.Set.of("i-0123456789abcdef0"), elb.members("smallpayroll-http"));
    assertEquals("degraded", stateFile().path("result").asText(), stateFile().toPrettyString());
    assertFalse(result.stderr().contains("\tat "), "a stack trace on stderr: " + result);
  }

  /** 3 MB of zeros: a few KB in the git pack (the fetch fits), 3 MB when written out (it does not). */
  private void commitABigFile() {
    GitRepos.commit(repo, "public/big.bin", "\0".repeat(3 << 20), "a big file");
  }

  private JsonNode stateFile() throws IOException {
    return new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
  }

  /** A 1 MB tmpfs over {@code dir}, with what was in it copied in: a small disk of its own. */
  private void smallDiskAt(Path dir) throws Exception {
    Path saved = temp.resolve("saved-" + dir.getFileName());
    Files.createDirectories(dir);
    GitRepos.copyTree(dir, saved);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString()) == 0, "mount -t tmpfs is not allowed here");
    mounts.add(dir);
    GitRepos.copyTree(saved, dir);
  }

  /** Writes a file under {@code dir} until the disk has no block left. */
  private static void fill(Path dir) throws IOException {
    ByteBuffer block = ByteBuffer.wrap("x".repeat(4096).getBytes(StandardCharsets.US_ASCII));
    try (FileChannel filler = FileChannel.open(dir.resolve("filler"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        filler.write(block.rewind());
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  private void killTheAppServer() {
    String port = " " + box.appPort;
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().filter(c -> c.contains("app/Server.java") && c.endsWith(port)).isPresent())
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
