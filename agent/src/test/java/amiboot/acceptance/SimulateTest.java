package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amiboot simulate}: a config written for the real box (deploy_to /home/payroll, the
 * default hosts file and state_dir) boots under --root, with metadata served in-process and the
 * load balancer recorded; nothing outside the root changes.
 */
class SimulateTest {
  private static final String INSTANCE = "i-0123456789abcdef0";
  private static final Path REAL_DEPLOY_TO = Path.of("/home/payroll-amiboot-simulate-test");

  @TempDir Path temp;
  private Path repo;
  private String first;
  private Path config;
  private Path root;
  private int port;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    first = GitRepos.commit(repo, "VERSION", "1\n", "version 1");
    port = Ports.free();
    root = temp.resolve("sim");
    config = temp.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: " + REAL_DEPLOY_TO + "\n"
        + "repository: { type: git, url: \"" + GitRepos.url(repo) + "\" }\n"
        + "shared: { dirs: [log, tmp/pids], files: [config/database.yml] }\n"
        + "hosts:\n  dbhost: ${DB}\n"
        + "role_from: ROLE\n"
        + "roles:\n"
        + "  app:\n"
        + "    start: [\"${current}/script/server\", start, -p, \"" + port + "\"]\n"
        + "    stop: [\"${current}/script/server\", stop]\n"
        + "    health: { url: \"http://127.0.0.1:" + port + "/\", expect: welcome, timeout: 60s }\n"
        + "    load_balancer: { classic: [smallpayroll-http], drain: 1s, wait_in_service: true }\n");
    // the shared file the app needs, as a baker would put it on the image
    Path shared = root.resolve(Path.of("/").relativize(REAL_DEPLOY_TO)).resolve("shared/config/database.yml");
    Files.createDirectories(shared.getParent());
    Files.writeString(shared, "production:\n  host: dbhost\n");
  }

  @AfterEach
  void stopTheApp() throws IOException {
    Path pids = root.resolve(Path.of("/").relativize(REAL_DEPLOY_TO)).resolve("shared/tmp/pids");
    if (Files.isDirectory(pids)) {
      try (Stream<Path> files = Files.list(pids)) {
        files.map(Box::read).map(String::strip).filter(t -> t.matches("\\d+")).map(Long::parseLong)
            .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  @Test
  void simulate_bootsUnderTheRoot_recordsTheLoadBalancer_andTouchesNothingOutside() throws IOException {
    byte[] hostsBefore = Files.readAllBytes(Path.of("/etc/hosts"));

    CliProcess.Result result = simulate("--user-data", "DB=10.126.17.1;ROLE=app", "--instance-type", "m1.large");

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("(simulated) load balancer smallpayroll-http: RegisterInstancesWithLoadBalancer "
        + INSTANCE + ", not called"), result.stdout());
    assertTrue(result.stdout().contains("simulate ok in "), result.stdout());
    Path hosts = root.resolve("etc/hosts");
    assertTrue(Files.readString(hosts).contains("10.126.17.1 dbhost"), Files.readString(hosts));
    assertTrue(Files.readString(hosts).startsWith(new String(hostsBefore)), "the box's own lines are the starting point");
    assertArrayEquals(hostsBefore, Files.readAllBytes(Path.of("/etc/hosts")), "the real hosts file is untouched");
    assertFalse(Files.exists(REAL_DEPLOY_TO), "nothing is deployed outside the root");
    Path deployTo = root.resolve(Path.of("/").relativize(REAL_DEPLOY_TO));
    assertEquals(first, Files.readString(deployTo.resolve("current/REVISION")).strip());
    assertTrue(Files.readString(root.resolve("var/lib/amiboot/state.json")).contains("\"result\" : \"ok\""));
    assertTrue(AppHttp.get(port).contains("Welcome"), AppHttp.get(port));

    // again, after a new commit: a rehearsed reboot redeploys
    String second = GitRepos.commit(repo, "VERSION", "2\n", "version 2");
    CliProcess.Result again = simulate("--user-data", "DB=10.126.17.1;ROLE=app", "--instance-type", "m1.large");
    assertEquals(0, again.exitCode(), again.toString());
    assertEquals(second, Files.readString(deployTo.resolve("current/REVISION")).strip());
    assertTrue(again.stdout().contains("DeregisterInstancesFromLoadBalancer"), again.stdout());
  }

  @Test
  void simulate_callsTheLoadBalancer_whenAnEndpointIsConfigured() throws Exception {
    try (ElbStandIn elb = ElbStandIn.start("smallpayroll-http")) {
      env.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", elb.endpoint().toString());
      env.put("AWS_ACCESS_KEY_ID", "AKIDTESTEXAMPLE");
      env.put("AWS_SECRET_ACCESS_KEY", "test-secret-key");

      CliProcess.Result result = simulate("--user-data", "DB=10.126.17.1;ROLE=app");

      assertEquals(0, result.exitCode(), result.toString());
      assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
      assertFalse(result.stdout().contains("(simulated)"), result.stdout());
    }
  }

  @Test
  void simulate_withUserDataNamingNoRole_exits65_andDeploysNothing() {
    CliProcess.Result result = simulate("--user-data", "DB=10.126.17.1;ROLE=nope");

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("nope"), result.stderr());
    assertFalse(Files.exists(root.resolve(Path.of("/").relativize(REAL_DEPLOY_TO)).resolve("current")));
  }

  @Test
  void simulate_withGzipUserDataFile_servesItAsTheMetadataServiceWould() throws IOException {
    Path userData = temp.resolve("user-data.gz");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(userData))) {
      out.write("DB=10.126.17.1;ROLE=nope".getBytes(StandardCharsets.UTF_8));
    }

    CliProcess.Result result = simulate("--user-data-file", userData.toString());

    // Read through the stand-in and inflated: the role it names is the one refused.
    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stdout().startsWith("simulate: m1.small, user-data " + Files.size(userData) + " bytes, gzip,"), result.toString());
    assertTrue(result.stderr().contains("ROLE='nope' is not a configured role"), result.stderr());
  }

  private CliProcess.Result simulate(String... more) {
    String[] args = Stream.concat(Stream.of("simulate", "--config", config.toString(), "--root", root.toString()),
        Stream.of(more)).toArray(String[]::new);
    return CliProcess.run(temp, env, Duration.ofMinutes(3), args);
  }
}
