package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.SvnServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SmallPayroll boot from a real svnserve that requires a password, as in the seed. */
class SvnBootTest {
  private static final String PASSWORD = "s3cret-Deploy-Pw";

  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;
  private SvnServer svn;
  private Path passwordFile;

  @BeforeEach
  void setUp() throws Exception {
    svn = SvnServer.start(temp.resolve("svn"), Examples.smallPayroll(), "deploy", PASSWORD);
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
    passwordFile = box.root.resolve("etc/amiboot/scm-password");
    Files.createDirectories(passwordFile.getParent());
    Files.writeString(passwordFile, PASSWORD + "\n");
    box.config("type: svn\nurl: " + svn.trunkUrl() + "\nusername: deploy\npassword_file: " + passwordFile + "\n");
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
    svn.close();
  }

  @Test
  void appRole_fromSubversion_deploysStartsAndRegisters() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(box.hosts().contains("\n10.126.17.1 dbhost\n"), box.hosts());
    Path release = box.currentTarget().orElseThrow();
    assertEquals("1\n", Box.read(release.resolve("REVISION")), "svn revision 1 (the import)");
    assertTrue(Files.isExecutable(release.resolve("script/server")), "svn:executable becomes the executable bit");
    assertFalse(Files.exists(release.resolve(".svn")), "an export, not a working copy");
    assertTrue(AppHttp.get(box.appPort).contains("Welcome to SmallPayroll"));
    assertEquals(Set.of("i-0123456789abcdef0"), elb.members("smallpayroll-http"));
  }

  @Test
  void jobRole_fromSubversion_onM1Large_runsEightWorkers() {
    box.instance("m1.large", "DB=10.126.17.1;ROLE=job");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(8, box.pids().size());
    assertTrue(box.pids().stream().allMatch(pid -> Box.running(pid, "script/worker")));
  }

  @Test
  void newRevision_isDeployedOnTheNextBoot() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.boot().assertExit(0);
    svn.commit(temp, "VERSION", "2\n");

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals("2\n", Box.read(box.current().resolve("REVISION")));
    assertEquals("2\n", Box.read(box.current().resolve("VERSION")));
  }

  @Test
  void password_neverAppearsInOutputStateOrAnyFileAmibootWrote() throws IOException {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    CliProcess.Result boot = box.boot();
    assertEquals(0, boot.exitCode(), boot.toString());
    CliProcess.Result plan = box.run("plan", "--config", box.config.toString());
    CliProcess.Result status = box.run("status", "--json", "--config", box.config.toString());

    for (CliProcess.Result r : new CliProcess.Result[] {boot, plan, status}) {
      assertFalse(r.all().contains(PASSWORD), r.toString());
    }
    try (Stream<Path> files = Files.walk(box.root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !file.equals(passwordFile)) {
          String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertFalse(text.contains(PASSWORD), "the password leaked into " + file);
        }
      }
    }
    assertFalse(Files.exists(Path.of(System.getProperty("user.home"), ".subversion", "auth", "svn.simple", "amiboot-test")),
        "SVNKit must not cache the credentials");
  }

  @Test
  void wrongPassword_exits65_withoutEchoingIt() throws IOException {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    Files.writeString(passwordFile, "not-the-password\n");

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("refused the credentials"), result.stderr());
    assertTrue(result.stderr().contains("user deploy"), result.stderr());
    assertFalse(result.all().contains("not-the-password"), result.toString());
    assertTrue(box.releases().isEmpty(), box.releases().toString());
  }

  @Test
  void missingPath_exits69_repositoryNotFound() {
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.config("type: svn\nurl: " + svn.trunkUrl().replace("/trunk", "/no-such-branch")
        + "\nusername: deploy\npassword_file: " + passwordFile + "\n");

    CliProcess.Result result = box.boot();

    assertEquals(69, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("no-such-branch"), result.stderr());
    assertTrue(box.currentTarget().isEmpty());
  }
}
