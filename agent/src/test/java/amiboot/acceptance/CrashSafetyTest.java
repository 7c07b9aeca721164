package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at every step boundary of {@code amiboot deploy} and in the middle of the checkout:
 * current still points at a complete release, the hosts and state files are whole, and the next
 * run cleans up and completes. Each version committed holds {@value #BULK_FILES} files, so that
 * the checkout takes long enough to be caught half way; each replaces the previous version's.
 */
class CrashSafetyTest {
  private static final int BULK_FILES = 1500;
  private static final String INSTANCE = "i-0123456789abcdef0";
  private static final List<String> STEPS = List.of("lock", "metadata", "config", "hosts", "deploy", "deregister", "drain",
      "stop", "switch", "start", "health", "register");

  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;
  private Path repo;
  private int version;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("drain: 1s", "drain: 0s"));
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
  }

  @TestFactory
  Stream<DynamicTest> deploy_killedAtEachStepBoundary_leavesACompleteRelease_andTheNextRunCompletes() {
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("first boot", () -> {
      commitVersion();
      box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
      box.boot().assertExit(0);
    }));
    for (String step : STEPS) {
      tests.add(DynamicTest.dynamicTest("killed after " + step, () -> killAndRecover(() -> false, step)));
    }
    tests.add(DynamicTest.dynamicTest("killed in the middle of the checkout", () ->
        killAndRecover(() -> halfCheckedOut().isPresent(), null)));
    return tests.stream();
  }

  @Test
  void firstBoot_killedInTheMiddleOfTheFirstClone_nextBootCompletes() throws Exception {
    commitVersion();
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    Path partialClone = box.deployTo.resolve("repo.partial");

    Process boot = box.start("boot", "--config", box.config.toString());
    boolean caught = killWhen(boot, () -> Files.exists(partialClone.resolve("objects")), null);

    assertTrue(caught, "the clone was caught in progress");
    assertTrue(box.currentTarget().isEmpty(), "no release is current before the first one is complete");
    assertWhole();
    box.boot().assertExit(0);
    assertRecovered();
  }

  /** Commits a version, kills a deploy of it when {@code condition} holds or after {@code step}, then deploys again. */
  private void killAndRecover(BooleanSupplier condition, String step) throws Exception {
    Path before = box.currentTarget().orElseThrow();
    commitVersion();
    // another database address, so that the hosts step writes
    box.instance("m1.small", "DB=10.126.17." + (version % 2 == 0 ? 2 : 1) + ";ROLE=app");

    Process deploy = box.start("deploy", "--config", box.config.toString());
    boolean killed = killWhen(deploy, condition, step);

    assertTrue(killed, "amiboot was killed at the point asked for");
    Path after = box.currentTarget().orElseThrow();
    assertTrue(after.equals(before) || Files.exists(after.resolve("bulk/" + version + "/f" + (BULK_FILES - 1) + ".txt")),
        "current points at the previous release or at the new one, complete: " + after);
    assertComplete(after);
    assertWhole();

    box.run("deploy", "--config", box.config.toString()).assertExit(0);
    assertRecovered();
  }

  /**
   * Reads amiboot's progress lines; kills it (SIGKILL) as soon as the line of {@code step} appears,
   * or when {@code condition} holds. Returns false when amiboot ended before that.
   */
  private static boolean killWhen(Process process, BooleanSupplier condition, String step) throws Exception {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      if (step != null) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith(step + " ")) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return true;
          }
        }
        return false;
      }
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (process.isAlive() && Instant.now().isBefore(deadline)) {
        if (condition.getAsBoolean()) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
          return true;
        }
        Thread.sleep(2);
      }
      process.destroyForcibly();
      return false;
    }
  }

  /** A release being written: its staging directory, with some of the bulk files and not all. */
  private Optional<Path> halfCheckedOut() {
    try (Stream<Path> entries = Files.list(box.deployTo.resolve("releases"))) {
      return entries.filter(p -> p.getFileName().toString().endsWith(".partial"))
          .filter(p -> Files.exists(p.resolve("bulk/" + version + "/f" + (BULK_FILES / 2) + ".txt")))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void commitVersion() throws Exception {
    version++;
    Path dir = repo.resolve("bulk/" + version);
    Files.createDirectories(dir);
    for (int i = 0; i < BULK_FILES; i++) {
      Files.writeString(dir.resolve("f" + i + ".txt"), ("version " + version + " file " + i + "\n").repeat(40));
    }
    try (Git git = Git.open(repo.toFile())) {
      PersonIdent who = new PersonIdent("Test", "test@example.com");
      if (version > 1) {
        git.rm().addFilepattern("bulk/" + (version - 1)).call(); // one version's files at a time
      }
      git.add().addFilepattern(".").call();
      git.commit().setMessage("version " + version).setAuthor(who).setCommitter(who).call();
    }
  }

  /** A release holds every file of its version: the last bulk file of it, and its REVISION. */
  private static void assertComplete(Path release) throws IOException {
    assertTrue(Files.isRegularFile(release.resolve("REVISION")), "REVISION in " + release);
    try (Stream<Path> versions = Files.list(release.resolve("bulk"))) {
      for (Path v : (Iterable<Path>) versions::iterator) {
        try (Stream<Path> files = Files.list(v)) {
          assertEquals(BULK_FILES, files.count(), "every file of " + v);
        }
      }
    }
  }

  /** The files amiboot rewrites are whole: hosts has one dbhost line, state and the release index parse. */
  private void assertWhole() throws IOException {
    String hosts = box.hosts();
    assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n"), hosts);
    assertEquals(1, hosts.lines().filter(l -> l.endsWith(" dbhost")).count(), hosts);
    for (Path json : List.of(box.stateDir.resolve("state.json"), box.deployTo.resolve("releases.json"))) {
      if (Files.exists(json)) {
        new ObjectMapper().readTree(json.toFile()); // throws on half a file
      }
    }
  }

  /** After a completed run: the newest version is current and serving, nothing partial is left. */
  private void assertRecovered() throws IOException {
    Path current = box.currentTarget().orElseThrow();
    assertComplete(current);
    assertTrue(Files.exists(current.resolve("bulk/" + version)), "the newest version is current: " + current);
    try (Stream<Path> entries = Files.list(box.deployTo.resolve("releases"))) {
      List<String> leftovers = entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
      assertEquals(List.of(), leftovers, "no partial release left");
    }
    assertFalse(Files.exists(box.deployTo.resolve("repo.partial"), LinkOption.NOFOLLOW_LINKS), "no partial clone left");
    assertTrue(AppHttp.get(box.appPort).contains("Welcome"), AppHttp.get(box.appPort));
    assertEquals(Set.of(INSTANCE), elb.members("smallpayroll-http"));
  }
}
