package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.pipeline.BootLock;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator meets when the box or the config is not right. */
class OperationsTest {
  @TempDir Path temp;
  private Box box;

  @BeforeEach
  void setUp() {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  @Test
  void metadataServiceUnreachable_exits69_afterTheBudget() {
    box.env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + Ports.free());
    Instant start = Instant.now();

    CliProcess.Result result = box.boot("--metadata-timeout", "2s");

    Duration took = Duration.between(start, Instant.now());
    assertEquals(69, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("metadata service unreachable"), result.stderr());
    assertTrue(result.stderr().contains("after 2.00s"), result.stderr());
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "bounded by the 2 s budget (plus the JVM's start): " + took);
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  @Test
  void metadataServiceSlowToComeUp_isWaitedFor() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=job");
    box.imds().failNextRequests(5);

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(2, box.pids().size());
  }

  @Test
  void anotherAmibootHoldsTheLock_exits75_namingItsPid() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    try (BootLock held = BootLock.acquire(box.stateDir)) {
      CliProcess.Result result = box.boot();

      assertEquals(75, result.exitCode(), result.toString());
      assertTrue(result.stderr().contains("pid " + ProcessHandle.current().pid()), result.stderr());
    }
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  @Test
  void configTypo_exits65_namingTheKeyAndLine() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText(box.smallPayrollConfig("type: git\nurl: file:///nowhere\n", "    helth_check: yes\n"));

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().matches("(?s).*line \\d+ roles\\.app\\.helth_check: unknown key.*"), result.stderr());
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  @Test
  void missingConfigFile_exits65() {
    CliProcess.Result result = box.run("boot", "--config", temp.resolve("nope.yml").toString());

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("config file not found"), result.stderr());
  }

  @Test
  void missingSharedFile_exits65_beforeAnythingChanges() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    java.nio.file.Files.delete(box.deployTo.resolve("shared/config/database.yml"));

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("shared file missing"), result.stderr());
    assertEquals(Box.HOSTS_BEFORE, box.hosts(), "checked before the hosts step");
  }

  @Test
  void startCommandFails_exits1_namingTheLog() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText(box.smallPayrollConfig("type: git\nurl: file:///x\n", "")
        .replace("url: file:///x", "url: " + GitRepos.url(temp.resolve("upstream/payroll")))
        .replace("\"${current}/script/server\", start", "\"${current}/script/server\", explode"));

    CliProcess.Result result = box.boot();

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("start command failed with exit code"), result.stderr());
    assertTrue(result.stderr().contains("shared/log/app-start.log"), result.stderr());
  }

  @Test
  void daemonThatKeepsWritingToStdout_outlivesAmiboot_andItsOutputIsLogged() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=job");
    String ticker = "setsid sh -c 'while :; do echo tick; sleep 0.2; done' & echo $! > ${shared}/tmp/pids/ticker.pid";
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(temp.resolve("upstream/payroll")) + "\n", "")
        .replace("start: [\"${current}/script/delayed_job\", -n, \"${workers}\", start]", "start: [sh, -c, \"" + ticker + "\"]"));

    box.boot().assertExit(0);
    Thread.sleep(1000); // amiboot has exited: a daemon on a pipe to it would now die of SIGPIPE

    long pid = box.pids().get(0);
    assertTrue(Box.running(pid, "while"), "the daemon is still running");
    String log = Box.read(box.deployTo.resolve("shared/log/job-start.log"));
    assertTrue(log.lines().filter("tick"::equals).count() >= 5, log);
  }

  @Test
  void noUserDataAtAll_isFine_whenTheConfigNeedsNone() {
    box.instance("m1.small", null); // the metadata service answers 404 for user-data
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(temp.resolve("upstream/payroll")) + "\n", "")
        .replace("hosts:\n  dbhost: ${DB}\n", "").replace("role_from: ROLE", "role: job"));

    CliProcess.Result result = box.boot().assertExit(0);

    assertTrue(result.stdout().contains("no user-data"), result.stdout());
    assertEquals(2, box.pids().size());
    assertEquals(Box.HOSTS_BEFORE, box.hosts(), "no hosts: entries, nothing written");
  }
}
