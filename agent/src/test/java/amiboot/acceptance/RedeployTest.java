package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code amiboot deploy}, {@code rollback} and {@code releases} on a running instance, with the real CLI. */
class RedeployTest {
  private static final String INSTANCE = "i-0123456789abcdef0";

  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;
  private Path repo;
  private String first;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    first = GitRepos.commit(repo, "VERSION", "1\n", "version 1");
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\nrevision_from: REVISION\n", "")
        .replace("timeout: 60s", "timeout: 8s")
        );
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
  }

  @Test
  void deploy_afterANewCommit_leavesTheLoadBalancer_servesTheNewRevision_andComesBack() throws Exception {
    box.boot().assertExit(0);
    String second = GitRepos.commit(repo, "VERSION", "2\n", "version 2");

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(List.of("lock", "metadata", "config", "hosts", "deploy", "deregister", "drain", "stop", "switch", "start",
        "health", "register", "prune", "record"), stepNames(result.stdout()), result.stdout());
    assertTrue(result.stdout().contains("waited 1.00s (load_balancer.drain)"), result.stdout());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + second), AppHttp.get(box.appPort));
    assertEquals(List.of("RegisterInstancesWithLoadBalancer smallpayroll-http " + INSTANCE,
        "DeregisterInstancesFromLoadBalancer smallpayroll-http " + INSTANCE,
        "RegisterInstancesWithLoadBalancer smallpayroll-http " + INSTANCE), elb.calls());
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
    List<JsonNode> releases = releases();
    assertEquals(2, releases.size());
    assertEquals(List.of(second, "good", "true"), fields(releases.get(0)));
    assertEquals(List.of(first, "good", "false"), fields(releases.get(1)));
    assertTrue(result.stdout().contains("deploy ok in"), result.stdout());
  }

  @Test
  void deploy_ofAReleaseThatNeverBecomesHealthy_goesBackToThePreviousGoodOne_exit1() throws Exception {
    box.boot().assertExit(0);
    String goodRelease = box.currentTarget().orElseThrow().getFileName().toString();
    String server = Files.readString(repo.resolve("app/Server.java"));
    String broken = GitRepos.commit(repo, "app/Server.java", server.replace("Welcome to SmallPayroll", "Under maintenance"),
        "a release that fails its health check");

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(1, result.exitCode(), result.toString());
    String badRelease = releases().get(0).path("release").asText();
    assertTrue(result.stderr().contains("release " + badRelease + " never became healthy"), result.stderr());
    assertTrue(result.stderr().contains("release " + goodRelease + " is current again, healthy and registered"), result.stderr());
    assertTrue(result.stdout().matches("(?s).*\\nrollback +ok .*release " + badRelease + " failed; back to release " + goodRelease
        + ".*\\nregister +ok .*"), result.stdout());
    assertEquals(box.deployTo.resolve("releases").resolve(goodRelease), box.currentTarget().orElseThrow());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), "the previous release serves again");
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
    assertEquals(List.of(broken, "failed", "false"), fields(releases().get(0)));
    assertEquals(List.of(first, "good", "true"), fields(releases().get(1)));
    JsonNode state = new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
    assertEquals("failed", state.path("result").asText());
    assertEquals(goodRelease, state.path("release").asText());
  }

  @Test
  void deploy_ofABrokenRelease_onABoxWhoseReleasesWereNeverMarked_goesBackToTheOneThatServed() throws Exception {
    box.boot().assertExit(0);
    String servedRelease = box.currentTarget().orElseThrow().getFileName().toString();
    Files.delete(box.deployTo.resolve("releases.json")); // as on a box deployed before releases were marked
    String server = Files.readString(repo.resolve("app/Server.java"));
    GitRepos.commit(repo, "app/Server.java", server.replace("Welcome to SmallPayroll", "Under maintenance"), "broken");

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("release " + servedRelease + " is current again"), result.stderr());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), AppHttp.get(box.appPort));
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
  }

  @Test
  void deploy_ofAReleaseTheLoadBalancerNeverSeesInService_goesBack_exit1() throws Exception {
    box.configText(Box.read(box.config).replace("drain: 1s }", "drain: 1s, wait_in_service: true, in_service_timeout: 2s }"));
    box.boot().assertExit(0);
    String servedRelease = box.currentTarget().orElseThrow().getFileName().toString();
    GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    elb.neverInServiceForNextRegistrations(1);

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(1, result.exitCode(), result.toString());
    String newRelease = releases().get(0).path("release").asText();
    assertTrue(result.stderr().contains("release " + newRelease + " never became healthy"), result.stderr());
    assertTrue(result.stderr().contains("not InService"), result.stderr());
    assertTrue(result.stderr().contains("release " + servedRelease + " is current again, healthy and registered"), result.stderr());
    assertEquals(box.deployTo.resolve("releases").resolve(servedRelease), box.currentTarget().orElseThrow());
    assertEquals(List.of("failed", "good"), releases().stream().map(r -> r.path("status").asText()).toList());
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), AppHttp.get(box.appPort));
  }

  @Test
  void rollback_goesToThePreviousGoodRelease_thenForwardByName() throws Exception {
    box.boot().assertExit(0);
    String firstRelease = box.currentTarget().orElseThrow().getFileName().toString();
    String second = GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    box.run("deploy", "--config", box.config.toString()).assertExit(0);
    String secondRelease = box.currentTarget().orElseThrow().getFileName().toString();

    CliProcess.Result back = box.run("rollback", "--config", box.config.toString());

    assertEquals(0, back.exitCode(), back.toString());
    assertEquals(List.of("lock", "metadata", "config", "deregister", "drain", "stop", "switch", "start", "health", "register",
        "prune", "record"), stepNames(back.stdout()), back.stdout());
    assertEquals(box.deployTo.resolve("releases").resolve(firstRelease), box.currentTarget().orElseThrow());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), AppHttp.get(box.appPort));
    assertTrue(Box.read(box.deployTo.resolve("revisions.log")).contains("release " + firstRelease + " rolled back to from "
        + secondRelease), Box.read(box.deployTo.resolve("revisions.log")));

    box.run("rollback", "--config", box.config.toString(), secondRelease).assertExit(0);
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + second), AppHttp.get(box.appPort));
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
  }

  @Test
  void rollback_toAReleaseThatDoesNotExist_exits65_changingNothing() {
    box.boot().assertExit(0);
    Path current = box.currentTarget().orElseThrow();

    CliProcess.Result none = box.run("rollback", "--config", box.config.toString());
    CliProcess.Result unknown = box.run("rollback", "--config", box.config.toString(), "20990101000000");

    assertEquals(65, none.exitCode(), none.toString());
    assertTrue(none.stderr().contains("no good release to roll back to besides current"), none.stderr());
    assertEquals(65, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.stderr().contains("no release 20990101000000"), unknown.stderr());
    assertEquals(current, box.currentTarget().orElseThrow());
    assertEquals(List.of("RegisterInstancesWithLoadBalancer smallpayroll-http " + INSTANCE), elb.calls(), "never deregistered");
  }

  @Test
  void aGarbageReleaseIndex_isKept_andRollbackAndReleasesSayWhyNoReleaseIsGood() throws Exception {
    box.boot().assertExit(0);
    GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    box.run("deploy", "--config", box.config.toString()).assertExit(0);
    Path index = box.deployTo.resolve("releases.json");
    Files.writeString(index, "{ garbage");

    CliProcess.Result releases = box.run("releases", "--config", box.config.toString()).assertExit(0);
    CliProcess.Result rollback = box.run("rollback", "--config", box.config.toString()).assertExit(65);

    assertEquals("amiboot: releases: warning: " + index + " is unreadable (not JSON at line 1: Unexpected character ('g'"
        + " (code 103)): was expecting double-quote to start field name), so every release counts as unchecked; the next deploy"
        + " sets it aside\n", releases.stderr());
    assertEquals(2, releases.stdout().lines().filter(l -> l.contains("unchecked")).count(), releases.stdout());
    assertTrue(rollback.stderr().startsWith("amiboot: rollback failed: no good release to roll back to besides current: "
        + index + " is unreadable ("), rollback.stderr());
    assertEquals("{ garbage", Files.readString(index), "rollback and releases leave it be");

    GitRepos.commit(repo, "VERSION", "3\n", "version 3");
    box.run("deploy", "--config", box.config.toString()).assertExit(0);

    List<Path> setAside;
    try (var files = Files.list(box.deployTo)) {
      setAside = files.filter(p -> p.getFileName().toString().startsWith("releases.json.unreadable-")).toList();
    }
    assertEquals(1, setAside.size(), setAside.toString());
    assertEquals("{ garbage", Files.readString(setAside.get(0)), "set aside as it was, not overwritten");
    assertTrue(box.run("rollback", "--config", box.config.toString()).assertExit(65).stderr()
        .contains("besides current: an unreadable releases.json was set aside as " + setAside.get(0)), "still said");
  }

  @Test
  void revisionPinnedByUserData_orTheCommandLine_isWhatIsDeployed() throws Exception {
    GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    GitRepos.tag(repo, "v2");
    GitRepos.commit(repo, "VERSION", "3\n", "version 3");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app;REVISION=" + first);

    box.boot().assertExit(0);
    assertEquals(first + "\n", Box.read(box.currentTarget().orElseThrow().resolve("REVISION")));

    box.run("deploy", "--config", box.config.toString(), "--revision", "v2").assertExit(0);
    assertEquals("2\n", Box.read(box.deployTo.resolve("current/VERSION")));

    CliProcess.Result bad = box.run("deploy", "--config", box.config.toString(), "--revision", "--upload-pack=evil");
    assertEquals(65, bad.exitCode(), bad.toString());
    assertTrue(bad.stderr().contains("is not a revision, tag or branch name"), bad.stderr());
    assertEquals("2\n", Box.read(box.deployTo.resolve("current/VERSION")));
  }

  @Test
  void bootWithTheRepositoryUnreachable_servesTheCurrentRelease_degraded() throws Exception {
    box.boot().assertExit(0);
    Path current = box.currentTarget().orElseThrow();
    // the repository's host does not answer (nothing listens there), for longer than repository.timeout
    String config = Box.read(box.config);
    box.configText(config.replace("url: " + GitRepos.url(repo), "url: http://127.0.0.1:" + Ports.free() + "/payroll.git\n  timeout: 2s"));

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("boot degraded in"), result.stdout());
    assertEquals(current, box.currentTarget().orElseThrow());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), AppHttp.get(box.appPort));
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
    JsonNode state = new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
    assertEquals("degraded", state.path("result").asText());
    assertTrue(state.path("degraded").asText().contains("repository unavailable"), state.toPrettyString());
    CliProcess.Result status = box.run("status", "--config", box.config.toString());
    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("degraded: repository unavailable"), status.stdout());
  }

  @Test
  void bootWithARepositoryThatIsNotThere_exits69_evenWithAReleaseOnTheBox() throws Exception {
    box.boot().assertExit(0);
    Files.move(repo, temp.resolve("upstream/moved-away"));

    CliProcess.Result result = box.boot();

    assertEquals(69, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("repository not found"), result.stderr());
  }

  @Test
  void deploy_withTheRepositoryUnreachable_exits69_andStaysInService() throws Exception {
    box.boot().assertExit(0);
    Path current = box.currentTarget().orElseThrow();
    Files.move(repo, temp.resolve("upstream/moved-away"));

    CliProcess.Result result = box.run("deploy", "--config", box.config.toString());

    assertEquals(69, result.exitCode(), result.toString());
    assertEquals(current, box.currentTarget().orElseThrow());
    assertEquals(1, box.releases().size());
    assertEquals(List.of("RegisterInstancesWithLoadBalancer smallpayroll-http " + INSTANCE), elb.calls());
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"), "still serving");
  }

  private List<JsonNode> releases() throws Exception {
    CliProcess.Result listed = box.run("releases", "--config", box.config.toString(), "--json");
    listed.assertExit(0);
    List<JsonNode> out = new ArrayList<>();
    new ObjectMapper().readTree(listed.stdout()).forEach(out::add);
    return out;
  }

  private static List<String> fields(JsonNode release) {
    return List.of(release.path("revision").asText(), release.path("status").asText(), release.path("current").asText());
  }

  private static List<String> stepNames(String stdout) {
    return stdout.lines().filter(l -> l.matches("[a-z]+ +(ok|unchanged|skipped|failed) +[0-9.]+m?s? .*")).map(l -> l.split(" +")[0]).toList();
  }
}
