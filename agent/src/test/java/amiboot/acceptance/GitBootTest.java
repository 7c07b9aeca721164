package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.metadata.RawUserData;
import amiboot.simulate.ImdsStandIn;
import amiboot.simulate.LoopbackHttp;
import amiboot.testing.Box;
import amiboot.testing.CacheDamage;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SmallPayroll boot from a git repository, end to end, with the CLI in its own JVM. */
class GitBootTest {
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
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
  }

  @Test
  void appRole_onM1Small_writesHostsDeploysStartsAndRegisters() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(box.hosts().contains("\n10.126.17.1 dbhost\n"), box.hosts());
    assertFalse(box.hosts().contains("10.0.0.5 dbhost"), "the hand-written entry is replaced");
    assertTrue(box.hosts().startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# added by hand\n"), box.hosts());
    List<String> releases = box.releases();
    assertEquals(1, releases.size(), releases.toString());
    assertEquals(box.deployTo.resolve("releases").resolve(releases.get(0)), box.currentTarget().orElseThrow());
    assertTrue(AppHttp.get(box.appPort).matches("(?s)200 .*Welcome to SmallPayroll.*"), AppHttp.get(box.appPort));
    assertEquals(Set.of("i-0123456789abcdef0"), elb.members("smallpayroll-http"));
    for (String step : List.of("lock", "metadata", "config", "hosts", "deploy", "start", "health", "register", "record")) {
      assertTrue(result.stdout().matches("(?s).*\\n?" + step + " +(ok|unchanged|skipped) +\\d+\\.\\d\\ds .*"),
          "a progress line with a duration for " + step + ":\n" + result.stdout());
    }
  }

  @Test
  void gzipCompressedUserData_isReadAsCloudInitReadsIt() throws Exception {
    byte[] cloudConfig = "#cloud-config\namiboot:\n  DB: 10.126.17.1\n  ROLE: app\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(cloudConfig);
    }
    box.instance(ImdsStandIn.Instance.of("m1.small", null).withUserData(new RawUserData(gzip.toByteArray())));

    CliProcess.Result result = box.boot().assertExit(0);

    assertTrue(box.hosts().contains("\n10.126.17.1 dbhost\n"), box.hosts());
    assertTrue(result.stdout().contains(gzip.size() + " bytes of user-data (gzip)"), result.toString());
    assertTrue(result.stdout().contains("user-data: #cloud-config amiboot: mapping [DB, ROLE]"), result.toString());
  }

  @Test
  void appRole_releaseHasRevisionSharedLinksAndStateRecordsTheRun() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    String head = GitRepos.commit(repo, "public/robots.txt", "User-agent: *\n", "robots");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    Path release = box.currentTarget().orElseThrow();
    assertEquals(head + "\n", Box.read(release.resolve("REVISION")));
    assertEquals(box.deployTo.resolve("shared/log"), Files.readSymbolicLink(release.resolve("log")));
    assertEquals(box.deployTo.resolve("shared/tmp/pids"), Files.readSymbolicLink(release.resolve("tmp/pids")));
    assertEquals(box.deployTo.resolve("shared/config/database.yml"), Files.readSymbolicLink(release.resolve("config/database.yml")));
    assertTrue(Files.isExecutable(release.resolve("script/server")), "the executable bit survives the deploy");
    assertFalse(Files.exists(release.resolve(".git")), "releases hold files, not a repository");
    assertTrue(Box.read(box.deployTo.resolve("revisions.log")).contains(release.getFileName() + " revision " + head));
    assertTrue(Box.read(box.deployTo.resolve("shared/log/app-start.log")).contains("server started"));

    JsonNode state = new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
    assertEquals("ok", state.path("result").asText());
    assertEquals("app", state.path("role").asText());
    assertEquals(release.getFileName().toString(), state.path("release").asText());
    assertEquals(head, state.path("revision").asText());
    List<String> steps = new ArrayList<>();
    state.path("steps").forEach(step -> steps.add(step.path("step").asText() + " " + step.path("status").asText()));
    assertEquals(List.of("lock ok", "metadata ok", "config ok", "hosts ok", "deploy ok", "deregister skipped", "stop skipped",
        "switch ok", "start ok", "health ok", "register ok", "prune ok"), steps, state.toPrettyString());
    assertTrue(state.path("steps").get(4).has("duration_ms"));

    CliProcess.Result status = box.run("status", "--config", box.config.toString());
    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("revision " + head), status.stdout());
  }

  @Test
  void jobRole_onM1Large_runsEightWorkers() {
    assertWorkers("m1.large", 8);
  }

  @Test
  void jobRole_onM1Small_runsTwoWorkers() {
    assertWorkers("m1.small", 2);
  }

  @Test
  void jobRole_onUnknownType_runsDefaultTwo() {
    assertWorkers("z9.unheard-of", 2);
  }

  private void assertWorkers(String type, int expected) {
    box.instance(type, "DB=10.126.17.1;ROLE=job");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    List<Long> pids = box.pids();
    assertEquals(expected, pids.size(), "pid files: " + pids);
    assertTrue(pids.stream().allMatch(pid -> Box.running(pid, "script/worker")), "every worker is running: " + pids);
    assertTrue(elb.calls().isEmpty(), "a job role registers with nothing: " + elb.calls());
    assertTrue(result.stdout().contains(expected + " workers"), result.stdout());
  }

  @Test
  void secondBoot_keepsHostsIdentical_addsRelease_prunesToKeepReleases() throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    byte[] hostsAfterFirst = Files.readAllBytes(box.hostsFile);
    Object inode = Files.getAttribute(box.hostsFile, "unix:ino");

    for (int i = 0; i < 3; i++) {
      GitRepos.commit(repo, "VERSION", "1." + i + "\n", "release 1." + i);
      CliProcess.Result again = box.boot();
      assertEquals(0, again.exitCode(), again.toString());
      assertTrue(again.stdout().contains("\nhosts      unchanged"), again.stdout());
      assertTrue(again.stdout().matches("(?s).*\nstop +ok .* release \\d{14}: \\S+/current/script/server stop exited 0\n.*"),
          again.stdout());
    }

    assertTrue(java.util.Arrays.equals(hostsAfterFirst, Files.readAllBytes(box.hostsFile)), "hosts file byte-identical");
    assertEquals(inode, Files.getAttribute(box.hostsFile, "unix:ino"), "an unchanged hosts file is not even rewritten");
    List<String> releases = box.releases();
    assertEquals(3, releases.size(), "keep_releases 3: " + releases);
    assertEquals(box.deployTo.resolve("releases").resolve(releases.get(2)), box.currentTarget().orElseThrow());
    assertTrue(Files.exists(box.deployTo.resolve("shared/log/app-start.log")), "pruning never touches shared/");
    assertEquals(4, Box.read(box.deployTo.resolve("revisions.log")).lines().count());
    String served = AppHttp.get(box.appPort);
    assertTrue(served.contains("Revision: " + Box.read(box.current().resolve("REVISION")).strip()),
        "a re-run restarts the app on the new release: " + served);
  }

  @Test
  void healthEndpointTricklingItsBody_exits1_withinBoundOfTheTimeout() throws Exception {
    HttpServer trickling = LoopbackHttp.server(0);
    trickling.setExecutor(Executors.newCachedThreadPool());
    trickling.createContext("/", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(200, 0); // then a byte a second, chunked
        for (byte b : "<h1>Welcome to SmallPayroll</h1>".getBytes(StandardCharsets.UTF_8)) {
          exchange.getResponseBody().write(b);
          exchange.getResponseBody().flush();
          Thread.sleep(1000);
        }
      } catch (IOException | InterruptedException gone) {
        // amiboot hung up
      }
    });
    trickling.start();
    try {
      box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
      box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
          .replace("health: { url: \"http://127.0.0.1:" + box.appPort + "/\", expect: welcome, timeout: 60s }",
              "health: { url: \"http://127.0.0.1:" + trickling.getAddress().getPort() + "/\", expect: welcome, timeout: 2s }"));

      CliProcess.Result result = box.boot().assertExit(1);

      Matcher health = Pattern.compile("(?m)^health +failed +(\\d+\\.\\d\\d)s").matcher(result.stdout());
      assertTrue(health.find(), result.toString());
      assertTrue(Double.parseDouble(health.group(1)) < 10, "the health step took " + health.group(1) + "s:\n" + result);
      assertTrue(result.stderr().strip().matches("amiboot: boot failed: app never became healthy \\(http://127\\.0\\.0\\.1:\\d+/\\)"
          + " within 2\\.00s, 1 poll; last: no answer \\(the body of its HTTP 200 was still coming after 2\\.00s\\);"
          + " check the app's logs in shared/log; .*"), result.stderr());
      assertTrue(elb.calls().isEmpty(), "never registered: " + elb.calls());
    } finally {
      trickling.stop(0);
    }
  }

  @Test
  void appNeverHealthy_exits1_notRegistered_messageShowsLastAnswer() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("expect: welcome, timeout: 60s", "expect: this text is not on the page, timeout: 3s"));

    CliProcess.Result result = box.boot();

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(elb.calls().isEmpty(), "never registered: " + elb.calls());
    String error = result.stderr().strip();
    assertEquals(1, error.lines().count(), "one line: " + error);
    assertTrue(error.contains("never became healthy"), error);
    assertTrue(error.contains("HTTP 200"), error);
    assertTrue(error.contains("Welcome to SmallPayroll"), "the start of the last body: " + error);
  }

  @Test
  void missingLoadBalancer_exits69_namingIt_andLeavesNoPartialRegistration() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("classic: [smallpayroll-http]", "classic: [smallpayroll-http, no-such-lb]"));

    CliProcess.Result result = box.boot();

    assertEquals(69, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("'no-such-lb' not found"), result.stderr());
    assertTrue(elb.members("smallpayroll-http").isEmpty(), "registered with one of two: " + elb.calls());
    assertTrue(result.stderr().contains("deregistered from smallpayroll-http"), result.stderr());
  }

  @Test
  void repositoryThatDoesNotExist_exits69_andNothingIsDeployed() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.config("type: git\nurl: " + GitRepos.url(temp.resolve("no-such-repo")) + "\n");

    CliProcess.Result result = box.boot();

    assertEquals(69, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("repository not found"), result.stderr());
    assertTrue(box.releases().isEmpty(), box.releases().toString());
    assertTrue(box.currentTarget().isEmpty());
  }

  @Test
  void revisionThatDoesNotExist_exits65_beforeAnyChange_currentStaysOnTheGoodRelease() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\nrevision: v9.9.9\n");
    box.instance("m1.small", "DB=10.126.17.99;ROLE=app");

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("repository.revision 'v9.9.9' is not a tag, a branch or a commit id"), result.stderr());
    assertTrue(box.hosts().contains("10.126.17.1 dbhost") && !box.hosts().contains("10.126.17.99"),
        "checked in the config step, before the hosts step: " + box.hosts());
    assertEquals(good, box.currentTarget().orElseThrow());
    assertEquals(1, box.releases().size(), "no partial release left: " + box.releases());
  }

  @Test
  void branchAndTag_pickWhatIsDeployed() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    String tagged = GitRepos.commit(repo, "VERSION", "1.0\n", "1.0");
    GitRepos.tag(repo, "v1.0");
    GitRepos.commit(repo, "VERSION", "1.1-dev\n", "more");
    GitRepos.branch(repo, "hotfix");
    String hotfix = GitRepos.commit(repo, "VERSION", "1.0.1\n", "hotfix");

    box.config("type: git\nurl: " + GitRepos.url(repo) + "\nrevision: v1.0\n");
    CliProcess.Result tag = box.boot();
    assertEquals(0, tag.exitCode(), tag.toString());
    assertEquals(tagged + "\n", Box.read(box.current().resolve("REVISION")));
    assertEquals("1.0\n", Box.read(box.current().resolve("VERSION")));

    box.config("type: git\nurl: " + GitRepos.url(repo) + "\nbranch: hotfix\n");
    CliProcess.Result branch = box.boot();
    assertEquals(0, branch.exitCode(), branch.toString());
    assertEquals(hotfix + "\n", Box.read(box.current().resolve("REVISION")));
    assertEquals("1.0.1\n", Box.read(box.current().resolve("VERSION")));
  }

  /**
   * The box comes back whatever happened to the repository cache: served as it is while the
   * repository cannot be reached, then healed (set aside, cloned again) by the first boot that
   * reaches it. Nothing of JGit's on stderr in either boot.
   */
  @ParameterizedTest
  @EnumSource(CacheDamage.class)
  void aDamagedCache_servesTheCurrentReleaseWhileTheRepositoryIsUnreachable_thenHealsInOneBoot(CacheDamage damage)
      throws Exception {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    Path good = box.currentTarget().orElseThrow();
    String first = Box.read(good.resolve("REVISION")).strip();
    damage.apply(box.deployTo.resolve("repo"));
    String config = Box.read(box.config);
    box.configText(config.replace("url: " + GitRepos.url(repo), "url: http://127.0.0.1:" + Ports.free() + "/payroll.git\n  timeout: 2s"));

    CliProcess.Result unreachable = box.boot();

    assertEquals(0, unreachable.exitCode(), unreachable.toString());
    assertTrue(unreachable.stdout().contains("boot degraded in"), unreachable.stdout());
    assertEquals(good, box.currentTarget().orElseThrow());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + first), AppHttp.get(box.appPort));
    JsonNode state = new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
    assertEquals("degraded", state.path("result").asText(), state.toPrettyString());
    assertNoStackFrames(unreachable);

    box.configText(config);
    String head = GitRepos.commit(repo, "VERSION", "2\n", "after the damage");
    CliProcess.Result reachable = box.boot();

    assertEquals(0, reachable.exitCode(), reachable.toString());
    assertEquals(head + "\n", Box.read(box.current().resolve("REVISION")), reachable.toString());
    assertTrue(AppHttp.get(box.appPort).contains("Revision: " + head), AppHttp.get(box.appPort));
    assertTrue(reachable.stdout().matches("(?s).*\ndeploy +ok .*; repository cache damaged \\(.+\\): moved to "
        + Pattern.quote(box.deployTo.toString()) + "/repo\\.corrupt-\\d{14}, cloned again\n.*"), reachable.stdout());
    assertTrue(GitRepos.readEveryObject(box.deployTo.resolve("repo")) > 0);
    assertNoStackFrames(reachable);
  }

  private static void assertNoStackFrames(CliProcess.Result result) {
    assertFalse(result.stderr().contains("\tat "), "a stack trace on stderr: " + result);
  }

  @Test
  void plan_printsEveryChange_andChangesNothing() {
    box.instance("m1.large", "DB=10.126.17.1;ROLE=app");
    var before = box.snapshot();

    CliProcess.Result result = box.run("plan", "--config", box.config.toString());

    assertEquals(0, result.exitCode(), result.toString());
    String out = result.stdout();
    assertTrue(out.contains("+ 10.126.17.1 dbhost"), out);
    assertTrue(out.contains("- 10.0.0.5 dbhost"), out);
    assertTrue(out.contains("new release " + box.deployTo.resolve("releases")), out);
    assertTrue(out.contains("  switch    " + box.current() + " -> "), out);
    assertFalse(out.contains("  leave "), "nothing in service yet: " + out);
    assertTrue(out.contains(box.current() + "/script/server start -p " + box.appPort), out);
    assertTrue(out.contains("RegisterInstancesWithLoadBalancer smallpayroll-http i-0123456789abcdef0"), out);
    assertTrue(out.contains("GET http://127.0.0.1:" + box.appPort + "/ until 2xx containing \"welcome\""), out);
    assertEquals(before, box.snapshot(), "plan changed the box");
    assertTrue(elb.calls().isEmpty(), "plan called the load balancer: " + elb.calls());
  }

  @Test
  void plan_onARunningInstance_showsLeavingTheLoadBalancerAndStoppingFirst_andAPinnedRevision() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    String running = box.currentTarget().orElseThrow().getFileName().toString();
    GitRepos.tag(repo, "v1");
    var before = box.snapshot();

    CliProcess.Result result = box.run("plan", "--config", box.config.toString(), "--revision", "v1");

    assertEquals(0, result.exitCode(), result.toString());
    String out = result.stdout();
    assertTrue(out.contains("  leave     DeregisterInstancesFromLoadBalancer smallpayroll-http i-0123456789abcdef0"), out);
    assertTrue(out.contains("then wait 1.00s (load_balancer.drain)"), out);
    assertTrue(out.contains("  stop      " + box.current() + "/script/server stop (release " + running + ")"), out);
    assertTrue(out.contains("revision v1"), out);
    assertTrue(out.contains("(now " + running + ")"), out);
    assertEquals(before, box.snapshot(), "plan changed the box");
  }

  @Test
  void plan_forJobRole_showsWhichTableRowSizedTheWorkers() {
    box.instance("m1.large", "DB=10.126.17.1;ROLE=job");

    CliProcess.Result result = box.run("plan", "--config", box.config.toString());

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("8: per_ecu 2 x m1.large = 4 ECU (legacy ECU table) = 8"), result.stdout());
    assertTrue(result.stdout().contains("/script/delayed_job -n 8 start"), result.stdout());
  }
}
