package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code amiboot stop}: out of the load balancer, drained, then stopped. */
class StopTest {
  private static final String INSTANCE = "i-0123456789abcdef0";

  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;
  private Path repo;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
  }

  @Test
  void stop_deregistersDrainsThenStops_exit0() {
    box.boot().assertExit(0);
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"));

    CliProcess.Result result = box.run("stop", "--config", box.config.toString());

    assertEquals(0, result.exitCode(), result.toString());
    List<String> steps = result.stdout().lines().filter(l -> l.matches("[a-z]+ +(ok|unchanged|skipped|failed) +[0-9.]+m?s? .*"))
        .map(l -> l.split(" +")[0]).toList();
    assertEquals(List.of("lock", "metadata", "config", "deregister", "drain", "stop", "record"), steps, result.stdout());
    assertEquals(Set.of(), elb.members("smallpayroll-http"));
    assertEquals("DeregisterInstancesFromLoadBalancer smallpayroll-http " + INSTANCE, elb.calls().get(elb.calls().size() - 1));
    assertTrue(AppHttp.get(box.appPort).startsWith("no answer"), AppHttp.get(box.appPort));
    assertTrue(result.stdout().contains("stop ok in"), result.stdout());
  }

  @Test
  void stop_withNothingDeployed_isANoOp_exit0() {
    CliProcess.Result result = box.run("stop", "--config", box.config.toString());

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("no release is current: nothing runs"), result.stdout());
    assertTrue(elb.calls().isEmpty(), elb.calls().toString());
  }

  @Test
  void stop_whoseCommandFails_exits1_afterLeavingTheLoadBalancer() {
    box.configText(Box.read(box.config).replace("\"${current}/script/server\", stop]", "\"${current}/script/server\", explode]"));
    box.boot().assertExit(0);

    CliProcess.Result result = box.run("stop", "--config", box.config.toString());

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("stop command failed"), result.stderr());
    assertEquals(Set.of(), elb.members("smallpayroll-http"));
  }
}
