package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.testing.Await;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.RunningStart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amiboot start} as root with {@code user:}: the supervised run: workers, and the ones it
 * starts again, run as that user with its groups, home and no capabilities; what amiboot creates
 * for them in deploy_to is theirs. Needs root and the account {@value #USER} (.ci/run creates it).
 */
class SupervisedRunAsUserTest {
  static final String USER = RunAsUserTest.USER;

  @TempDir Path temp;
  private Box box;
  private Path repo;
  private RunningStart service;
  private int uid;
  private int gid;
  private Path home;
  private Set<Integer> groups;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(ownerOf(Path.of("/proc/self")) == 0, "needs root (CI runs as root)");
    assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\n" + USER + ":"), "needs the account " + USER + " (.ci/run creates it)");
    String[] passwd = output("getent", "passwd", USER).split(":");
    uid = Integer.parseInt(passwd[2]);
    gid = Integer.parseInt(passwd[3]);
    home = Path.of(passwd[5]);
    groups = Set.copyOf(ids(output("id", "-G", USER)));
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // the app user walks in
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    // Each worker writes through the release's links into shared/ (its own log reopened by name, a
    // file in tmp/pids), says whether that worked, then becomes a long sleep: the pid amiboot recorded.
    box.configText("user: " + USER + "\n" + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        + "  worker:\n"
        + "    workers: { count: 2 }\n"
        + "    run: [sh, -c, \"echo appended by name >> log/worker.$WORKER_INDEX.log || echo cannot append;"
        + " echo $WORKER_INDEX > tmp/pids/written.$WORKER_INDEX || echo cannot write;"
        + " echo worker $WORKER_INDEX ready; exec sleep 1000\"]\n"
        + "    stop_timeout: 2s\n");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (box != null) {
      box.close();
    }
  }

  @Test
  void start_asRoot_runsEachWorkerAsTheUser_whoOwnsItsFiles_alsoAfterARestart_andStopTakesThemDown() throws Exception {
    startAndAwaitSupervising();
    long first = awaitWorker(1);
    long second = awaitWorker(2);
    assertTrue(service.output().contains("as " + USER + " (uid " + uid + ")"), service.output());

    for (int i = 1; i <= 2; i++) {
      String log = box.readDeployed("shared/log/worker." + i + ".log");
      assertTrue(log.lines().anyMatch("appended by name"::equals), "the worker reopens its own log by name:\n" + log);
      assertTrue(log.lines().noneMatch(l -> l.startsWith("cannot")), log);
      assertOwnedByUser(box.deployTo.resolve("shared/log/worker." + i + ".log"));
      assertOwnedByUser(box.deployTo.resolve("shared/tmp/pids/written." + i));
      Path pidFile = box.deployTo.resolve("shared/tmp/pids/worker." + i + ".pid");
      assertOwnedByUser(pidFile);
      assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pidFile)));
    }
    Path release = box.currentTarget().orElseThrow();
    assertOwnedByUser(release);
    assertOwnedByUser(box.current());
    assertOwnedByUser(box.deployTo.resolve("shared/log"));
    assertOwnedByUser(box.deployTo.resolve("shared/tmp"));
    assertOwnedByUser(box.deployTo.resolve("shared/tmp/pids"));

    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    Await.until(() -> box.pidOrZero("worker.1") != first && Box.alive(box.pidOrZero("worker.1")), "worker 1 started again");
    long restarted = awaitWorker(1);
    assertOwnedByUser(box.deployTo.resolve("shared/tmp/pids/worker.1.pid"));

    // deploy restarts the workers through amiboot start's control socket: still as the user
    GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    CliProcess.Result deploy = box.run("deploy", "--config", box.config.toString());
    assertEquals(0, deploy.exitCode(), deploy + service.output());
    Await.until(() -> !Box.alive(restarted), "the old worker 1 stopped");
    long redeployed = awaitWorker(1);
    assertOwnedByUser(box.currentTarget().orElseThrow());

    CliProcess.Result stop = box.run("stop", "--config", box.config.toString());

    assertEquals(0, stop.exitCode(), stop + service.output());
    assertTrue(service.awaitExit(Duration.ofSeconds(30)), "amiboot start ended");
    assertEquals(0, service.process().exitValue(), service.output());
    Await.until(() -> !Box.alive(redeployed) && !Box.alive(second), "the workers stopped");
    assertFalse(Files.exists(box.deployTo.resolve("shared/tmp/pids/worker.1.pid")), "pid files removed");
    assertFalse(Files.exists(box.deployTo.resolve("shared/tmp/pids/worker.2.pid")), "pid files removed");
  }

  @Test
  void aSymlinkTheUserPutsAtAWorkersLog_doesNotGetItRootsWriteAccess_toAFileOnlyRootMayWrite() throws Exception {
    Path rootOnly = temp.resolve("root-only");
    Files.writeString(rootOnly, "root:x:0:0:root:/root:/bin/bash\n");
    Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
    startAndAwaitSupervising();
    long first = awaitWorker(1);
    // what an app that was broken into could do in its own shared/log (say to /etc/passwd)
    Path log = box.deployTo.resolve("shared/log/worker.1.log");
    output("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--", "sh", "-c",
        "rm \"$0\" && ln -s \"$1\" \"$0\"", log.toString(), rootOnly.toString());

    ProcessHandle.of(first).orElseThrow().destroyForcibly(); // the supervisor starts it again, with that log
    Await.until(() -> box.pidOrZero("worker.1") != first, "worker 1 started again");
    long again = box.pidOrZero("worker.1");
    Await.until(() -> !Box.alive(again), "worker 1, which cannot open its log as the user, ended");

    assertEquals("root:x:0:0:root:/root:/bin/bash\n", Files.readString(rootOnly), "nothing written through the symlink");
    assertEquals(0, ownerOf(rootOnly));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootOnly)));
    assertTrue(Files.isSymbolicLink(log), "the user's symlink is the user's business");
    assertTrue(Box.alive(box.pidOrZero("worker.2")), "worker 2 runs on");
  }

  /**
   * Waits until worker {@code index} is the long sleep its command ends in, then checks from /proc
   * who that process is: the pid file names the worker itself (setsid and setpriv exec, they do not fork).
   */
  private long awaitWorker(int index) throws Exception {
    Await.until(() -> box.readDeployed("shared/log/worker." + index + ".log").lines().filter(l -> l.equals("worker " + index + " ready")).count()
        == box.readDeployed("shared/log/worker." + index + ".log").lines().filter(l -> l.startsWith("--- ") && l.contains(" amiboot worker.")).count(),
        "worker " + index + " said it is ready, once per start");
    Await.until(() -> "sleep".equals(status(box.pidOrZero("worker." + index)).get("Name")), "worker " + index + " is its final program");
    long pid = box.pidOrZero("worker." + index);
    Map<String, String> status = status(pid);
    // real, effective, saved and filesystem ids: all the user's
    assertEquals(List.of(uid, uid, uid, uid), ids(status.get("Uid")), "Uid " + status.get("Uid"));
    assertEquals(List.of(gid, gid, gid, gid), ids(status.get("Gid")), "Gid " + status.get("Gid"));
    assertEquals(groups, Set.copyOf(ids(status.get("Groups"))), "the user's groups, not root's: " + status.get("Groups"));
    for (String caps : new String[] {"CapInh", "CapPrm", "CapEff", "CapAmb"}) {
      assertEquals(0L, Long.parseLong(status.get(caps), 16), caps + " " + status.get(caps) + ": no root privileges left");
    }
    Map<String, String> environ = environ(pid);
    assertEquals(home.toString(), environ.get("HOME"), environ.toString());
    assertEquals(USER, environ.get("USER"), environ.toString());
    assertEquals(USER, environ.get("LOGNAME"), environ.toString());
    assertEquals(Integer.toString(index), environ.get("WORKER_INDEX"), environ.toString());
    return pid;
  }

  private static List<Integer> ids(String line) {
    return line.isBlank() ? List.of() : Arrays.stream(line.strip().split("\\s+")).map(Integer::valueOf).toList();
  }

  private void startAndAwaitSupervising() throws Exception {
    service = RunningStart.launch(box);
  }

  private void assertOwnedByUser(Path path) throws IOException {
    assertEquals(uid + ":" + gid, ownerOf(path) + ":" + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS),
        "owner of " + path);
  }

  /** /proc/PID/status as name to value; empty once the process is gone. */
  private static Map<String, String> status(long pid) {
    Map<String, String> fields = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        int colon = line.indexOf(':');
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    } catch (IOException e) {
      // gone, or not started yet
    }
    return fields;
  }

  private static Map<String, String> environ(long pid) throws IOException {
    String all = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    for (String entry : all.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  private static int ownerOf(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static String output(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    return out;
  }

}
