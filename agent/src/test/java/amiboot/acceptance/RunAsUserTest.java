package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * amiboot at boot runs as root; with {@code user:} the app must run as that user and own what
 * amiboot deployed for it. Needs root and the account {@value #USER} (.ci/run creates it).
 */
class RunAsUserTest {
  static final String USER = "amiboot-test";

  @TempDir Path temp;
  private Box box;
  private Path repo;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(uid(Path.of("/proc/self")) == 0, "needs root (CI runs as root)");
    assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\n" + USER + ":"), "needs the account " + USER + " (.ci/run creates it)");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // the app user walks in
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
  }

  @AfterEach
  void tearDown() {
    if (box != null) {
      box.close();
    }
  }

  @Test
  void appRole_withUser_runsTheAppAsThatUser_whoOwnsTheRelease() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText("user: " + USER + "\n" + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"));
    int appUid = uid(box.deployTo.resolve("shared/tmp/pids/server.pid"));
    long serverPid = box.pids().get(0);
    String status = Files.readString(Path.of("/proc", Long.toString(serverPid), "status"));
    String uidLine = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
    assertTrue(uidLine.matches("Uid:\\s+" + appUid + "\\s+" + appUid + "\\s+" + appUid + "\\s+" + appUid), uidLine);
    assertTrue(appUid != 0, "the app does not run as root");
    Path release = box.currentTarget().orElseThrow();
    assertEquals(appUid, uid(release));
    assertEquals(appUid, uid(release.resolve("script/server")));
    assertEquals(appUid, uid(box.deployTo.resolve("shared/log")));
    assertEquals(appUid, uid(box.deployTo.resolve("shared/tmp/pids")));
    assertEquals(appUid, uid(box.current()), "the current symlink itself");
    assertTrue(result.stdout().contains("as " + USER + " (uid " + appUid + ")"), result.stdout());
  }

  @Test
  void aSymlinkTheUserPutAtTheStartLog_isRefused_nothingWrittenThroughIt() throws Exception {
    Path rootOnly = temp.resolve("root-only");
    Files.writeString(rootOnly, "root:x:0:0:root:/root:/bin/bash\n");
    Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
    // left by the app (broken into) since the last boot: its shared/log, a symlink at the start log's name
    Path log = box.deployTo.resolve("shared/log/app-start.log");
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, rootOnly);
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText("user: " + USER + "\n" + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));

    CliProcess.Result result = box.boot();

    assertTrue(result.exitCode() != 0, result.toString());
    assertTrue(result.stderr().contains("cannot write the command log (" + log + ")"), result.stderr());
    assertEquals("root:x:0:0:root:/root:/bin/bash\n", Files.readString(rootOnly), "nothing written through the symlink");
    assertEquals(0, uid(rootOnly));
  }

  @Test
  void aBoxDeployedByAnOlderVersion_whoseCacheAndReleasesAreRoots_isHandedOver_andDeploysAsTheUser() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    String config = box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }");
    box.configText(config);
    box.boot().assertExit(0); // as root: the mirror, the release, the index are root's
    Path old = box.currentTarget().orElseThrow();
    Files.createDirectories(box.deployTo.resolve("releases/.20200101000000.partial/app")); // a crash's leftover
    assertEquals(0, uid(box.deployTo.resolve("repo/HEAD")));
    box.run("stop", "--config", box.config.toString()).assertExit(0);
    // an older amiboot with user: gave shared/ (and the logs in it) and revisions.log to the user, not the rest
    new ProcessBuilder("chown", "-R", USER, box.deployTo.resolve("shared").toString(), box.deployTo.resolve("revisions.log")
        .toString()).inheritIO().start().waitFor();
    GitRepos.commit(repo, "README", "v2\n", "v2");
    box.configText("user: " + USER + "\n" + config);

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    int appUid = uid(box.deployTo.resolve("shared/log"));
    assertTrue(appUid != 0);
    assertEquals(appUid, uid(box.deployTo.resolve("repo/HEAD")), "the old mirror is handed over (root now fetches into its own)");
    assertEquals(appUid, uid(old.resolve("script/server")), "the older release too");
    assertEquals(appUid, uid(box.deployTo.resolve("revisions.log")));
    assertTrue(!Files.exists(box.deployTo.resolve("releases/.20200101000000.partial")), "the leftover is removed");
    assertEquals(appUid, uid(box.currentTarget().orElseThrow()));
  }

  @Test
  void userThatDoesNotExist_exits65_beforeAnythingChanges() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText("user: no-such-user-here\n" + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", ""));

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("user 'no-such-user-here' does not exist"), result.stderr());
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  private static int uid(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}
