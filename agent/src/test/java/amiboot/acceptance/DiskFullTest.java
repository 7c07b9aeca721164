package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk under deploy_to: exit 73, and the running release is not touched. Needs root (a tmpfs mount). */
class DiskFullTest {
  @TempDir Path temp;
  private Box box;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root to mount a small tmpfs");
    box = new Box(temp.resolve("box"));
    mount = box.deployTo;
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0;
    assumeTrue(mounted, "mount -t tmpfs is not allowed here");
    Path databaseYml = box.deployTo.resolve("shared/config/database.yml");
    Files.createDirectories(databaseYml.getParent());
    Files.writeString(databaseYml, "production:\n  host: dbhost\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (box != null) {
      box.close();
    }
    if (mounted && run("umount", mount.toString()) != 0) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void deployOntoAFullDisk_exits73_andCurrentStaysOnTheGoodRelease() throws Exception {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=job");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    // 3 MB of zeros: a few KB in the git pack (the fetch fits), 3 MB when written out (it does not).
    GitRepos.commit(repo, "public/big.bin", "\0".repeat(3 << 20), "a big file");

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("No space left on device"), result.stderr());
    assertTrue(result.stderr().contains("current still points at the previous release"), result.stderr());
    assertEquals(good, box.currentTarget().orElseThrow());
    assertEquals(List.of(good.getFileName().toString()), box.releases(), "no partial release left behind");
    assertTrue(Files.isRegularFile(good.resolve("script/server")), "the good release is intact");
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
