package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Await;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.RunningStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code amiboot start}: boot, then supervise a run: role in the foreground until SIGTERM or {@code amiboot stop}. */
class StartTest {
  private static final String INSTANCE = "i-0123456789abcdef0";

  @TempDir Path temp;
  private Box box;
  private Path repo;
  private ElbStandIn elb;
  private RunningStart service;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        + "  worker:\n"
        + "    workers: { count: 2 }\n"
        + "    run: [sh, -c, \"echo worker $WORKER_INDEX port $PORT revision $(cat REVISION); exec sleep 1000\"]\n"
        + "    stop_timeout: 2s\n"
        + "  web:\n"
        + "    run: [sh, -c, \"exec java app/Server.java $PORT\"]\n"
        + "    port: " + box.appPort + "\n"
        + "    health: { url: \"http://127.0.0.1:" + box.appPort + "/\", expect: welcome, timeout: 60s }\n"
        + "    load_balancer: { classic: [smallpayroll-http], drain: 1s }\n");
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    box.close();
    elb.close();
  }

  @Test
  void start_supervisesNumberedWorkers_restartsOneThatDies_andStopTakesThemDown() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
    startAndAwaitSupervising();
    long first = box.pidOrZero("worker.1");
    long second = box.pidOrZero("worker.2");
    assertTrue(Box.alive(first) && Box.alive(second), service.output());
    Await.until(() -> box.readDeployed("shared/log/worker.2.log").contains("worker 2 port 5001"), "worker 2 logged its index and port");
    Await.until(() -> box.readDeployed("shared/log/worker.1.log").contains("worker 1 port 5000"), "worker 1 logged its index and port");
    assertFalse(service.output().contains("worker 1 port"), "workers never write to amiboot's output");

    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    Await.until(() -> box.pidOrZero("worker.1") != first && Box.alive(box.pidOrZero("worker.1")), "worker 1 started again");

    CliProcess.Result stop = box.run("stop", "--config", box.config.toString());

    assertEquals(0, stop.exitCode(), stop + service.output() + "\nstate dir: " + listing(box.stateDir));
    assertTrue(stop.stdout().contains("stop ok: amiboot start (pid " + service.process().pid() + ")"), stop.stdout());
    assertTrue(service.awaitExit(Duration.ofSeconds(30)), "amiboot start ended");
    assertEquals(0, service.process().exitValue(), service.output());
    Await.until(() -> !Box.alive(second), "worker 2 stopped");
    assertFalse(Files.exists(box.deployTo.resolve("shared/tmp/pids/worker.2.pid")), "pid files removed");
  }

  @Test
  void sigterm_deregistersDrainsThenStops_aSupervisedWebRole_exit0() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=web");
    startAndAwaitSupervising();
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"), AppHttp.get(box.appPort));
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));

    service.process().toHandle().destroy(); // SIGTERM, as the init script and systemd send it (Process.destroy would close our pipe)

    assertTrue(service.awaitExit(Duration.ofSeconds(60)), "amiboot start ended");
    assertEquals(0, service.process().exitValue(), service.output());
    List<String> steps = service.output().lines().dropWhile(l -> !l.startsWith("supervising"))
        .filter(l -> l.matches("[a-z]+ +(ok|unchanged|skipped|failed) +[0-9.]+m?s? .*")).map(l -> l.split(" +")[0]).toList();
    assertEquals(List.of("lock", "metadata", "config", "deregister", "drain", "stop", "record"), steps, service.output()
        + "\nstate: " + box.readDeployed("../../var/lib/amiboot/state.json") + "\nelb: " + elb.calls());
    assertEquals(Set.of(), elb.members("smallpayroll-http"));
    assertTrue(AppHttp.get(box.appPort).startsWith("no answer"), AppHttp.get(box.appPort));
    // The app logs "stopping" when its SIGTERM arrives: that must come after the deregistration.
    String appLog = box.readDeployed("shared/log/web.1.log");
    Instant stopping = Instant.parse(appLog.lines().filter(l -> l.endsWith(" server: stopping")).findFirst()
        .orElseThrow(() -> new AssertionError("the app never logged stopping:\n" + appLog)).split(" ")[0]);
    Instant deregistered = elb.firstCallAt("DeregisterInstancesFromLoadBalancer").orElseThrow();
    assertTrue(deregistered.isBefore(stopping), "deregistered at " + deregistered + ", app got SIGTERM at " + stopping);

    CliProcess.Result status = box.run("status", "--config", box.config.toString());
    assertEquals(3, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("service:  stopped"), status.stdout());
    assertTrue(status.stdout().contains("load balancers: " + INSTANCE + " deregistered from smallpayroll-http (seen by stop at "),
        status.stdout());
    assertTrue(status.stdout().contains("\nlast boot: ok at "), status.stdout());
  }

  @Test
  void deploy_whileStartSupervises_restartsTheWorkersInTheNewRelease_andRollbackTakesThemBack() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
    startAndAwaitSupervising();
    String first = box.readDeployed("current/REVISION").strip();
    long before = box.pidOrZero("worker.1");
    String second = GitRepos.commit(repo, "VERSION", "2\n", "version 2");

    CliProcess.Result deploy = box.run("deploy", "--config", box.config.toString());

    assertEquals(0, deploy.exitCode(), deploy + service.output());
    assertTrue(deploy.stdout().contains("supervised by amiboot start (pid " + service.process().pid() + ")"), deploy.stdout());
    assertFalse(Box.alive(before), "the old worker 1 was stopped");
    Await.until(() -> lastRevisionLogged(1).equals(second) && lastRevisionLogged(2).equals(second), "both workers run " + second);
    assertTrue(Box.alive(box.pidOrZero("worker.1")) && Box.alive(box.pidOrZero("worker.2")) && service.process().isAlive(), service.output());

    CliProcess.Result status = box.run("status", "--config", box.config.toString());
    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("worker.1  pid " + box.pidOrZero("worker.1") + "  running"), status.stdout());

    CliProcess.Result rollback = box.run("rollback", "--config", box.config.toString());

    assertEquals(0, rollback.exitCode(), rollback + service.output());
    Await.until(() -> lastRevisionLogged(1).equals(first) && lastRevisionLogged(2).equals(first), "both workers run " + first);
    assertEquals(0, box.run("stop", "--config", box.config.toString()).exitCode());
    assertTrue(service.awaitExit(Duration.ofSeconds(30)), "amiboot start ended");
  }

  @Test
  void aSecondStart_exits75_namingTheRunningOne_andLeavesItsWorkersAlone() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
    startAndAwaitSupervising();
    long worker = box.pidOrZero("worker.1");

    CliProcess.Result second = box.run("start", "--config", box.config.toString());

    assertEquals(75, second.exitCode(), second.toString());
    assertTrue(second.stderr().contains("amiboot start is already running (pid " + service.process().pid() + ","), second.stderr());
    assertEquals(worker, box.pidOrZero("worker.1"));
    assertTrue(Box.alive(worker) && service.process().isAlive());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(box.stateDir.resolve("amiboot.sock"))), "only amiboot's user may connect");
  }

  @Test
  void sigterm_whileAnotherAmibootHoldsTheLock_waitsForIt_thenStops() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
    startAndAwaitSupervising();
    long worker = box.pidOrZero("worker.1");
    try (var held = amiboot.pipeline.BootLock.acquire(box.stateDir)) { // as a deploy in progress holds it
      service.process().toHandle().destroy();
      Thread.sleep(1500);
      assertTrue(service.process().isAlive() && Box.alive(worker), "the stop path waits for the lock, workers still supervised:\n" + service.output());
    }
    assertTrue(service.awaitExit(Duration.ofSeconds(30)), "amiboot start ended once the lock was free");
    assertEquals(0, service.process().exitValue(), service.output());
    assertFalse(Box.alive(worker), "worker stopped");
  }

  @Test
  void deploy_ofARunRole_withNoStartRunning_exits65_andChangesNothing() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");
    startAndAwaitSupervising();
    String current = box.readDeployed("current/REVISION");
    assertEquals(0, box.run("stop", "--config", box.config.toString()).exitCode());
    GitRepos.commit(repo, "VERSION", "2\n", "version 2");

    CliProcess.Result deploy = box.run("deploy", "--config", box.config.toString());

    assertEquals(65, deploy.exitCode(), deploy.toString());
    assertTrue(deploy.stderr().contains("no amiboot start is running: use amiboot start"), deploy.stderr());
    assertEquals(current, box.readDeployed("current/REVISION"));
  }

  @Test
  void boot_ofARunRole_exits65_sayingToUseStart_beforeAnythingChanges() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=worker");

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("use amiboot start"), result.stderr());
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
  }

  private void startAndAwaitSupervising() throws Exception {
    service = RunningStart.launch(box);
  }

  private static String listing(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName() + (p.toString().endsWith(".pid") ? "=" + Box.read(p).strip() : "")).toList().toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The revision the newest copy of worker {@code index} printed when it started. */
  private String lastRevisionLogged(int index) {
    return box.readDeployed("shared/log/worker." + index + ".log").lines().filter(l -> l.startsWith("worker " + index + " port "))
        .reduce((a, b) -> b).map(l -> l.substring(l.indexOf(" revision ") + " revision ".length()).strip()).orElse("");
  }

}
