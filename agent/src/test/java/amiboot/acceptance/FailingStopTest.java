package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose stop command fails and leaves its server running: the next release's start
 * finds "already running", and its health check would pass on the old server's answer. After the
 * stop step the old release's processes (its pid files) must be gone, so that the new release is
 * the one that answers.
 */
class FailingStopTest {
  @TempDir Path temp;
  private Box box;
  private Path repo;

  @BeforeEach
  void setUp() throws Exception {
    Path content = temp.resolve("content");
    GitRepos.copyTree(Examples.smallPayroll(), content);
    Path server = content.resolve("script/server");
    String script = Files.readString(server);
    // the stop of this release fails and leaves the server running
    Files.writeString(server, script.replace("  stop)\n", "  stop)\n    echo 'cannot stop' >&2; exit 1\n"));
    repo = GitRepos.fromDirectory(content, temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  @Test
  void aStopThatFails_theOldServerIsEnded_andTheNewReleaseIsTheOneThatAnswers() throws Exception {
    box.boot().assertExit(0);
    long oldPid = box.pidOrZero("server");
    assertTrue(Box.alive(oldPid));
    GitRepos.commit(repo, "README", "v2\n", "v2");

    CliProcess.Result deploy = box.run("deploy", "--config", box.config.toString());

    assertEquals(0, deploy.exitCode(), deploy.toString());
    assertTrue(deploy.stdout().contains("still ran after the stop: ended with SIGTERM"), deploy.stdout());
    assertTrue(!Box.alive(oldPid), "the old server is gone");
    long newPid = box.pidOrZero("server");
    assertNotEquals(oldPid, newPid);
    Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(newPid), "cwd"));
    assertEquals(box.currentTarget().orElseThrow().toRealPath(), cwd.toRealPath(), "the server runs the new release");
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"));
  }
}
