package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitHttpServer;
import amiboot.testing.GitRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * amiboot as root, with {@code user:} an unprivileged account that owns deploy_to, tried as that
 * user would if the app were broken into: links planted in its tree before a boot, and paths
 * swapped while amiboot runs. Each case has a root-owned victim outside the tree, and asserts it
 * unchanged (its files' content, owner and mode, and what it holds). Needs root and the account
 * {@value RunAsUserTest#USER} (.ci/run creates it).
 */
class HostileUserTest {
  @TempDir Path temp;
  private Box box;
  private Path repo;
  private Path victim;
  private int userUid;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(uid(Path.of("/proc/self")) == 0, "needs root (CI runs as root)");
    assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\n" + RunAsUserTest.USER + ":"),
        "needs the account " + RunAsUserTest.USER + " (.ci/run creates it)");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
    box.configText("user: " + RunAsUserTest.USER + "\n" + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));
    victim = temp.resolve("victim");
    Files.createDirectories(victim.resolve("sub"));
    Files.writeString(victim.resolve("precious"), "root's\n");
    Files.writeString(victim.resolve("sub/also"), "root's too\n");
    Files.writeString(victim.resolve("releases.json"), "root's index\n");
    Files.createDirectories(victim.resolve("20200101000000"));
    Files.createDirectories(victim.resolve("20200102000000"));
    Files.setPosixFilePermissions(victim.resolve("precious"), PosixFilePermissions.fromString("rw-------"));
    userUid = uid(Path.of("/proc/self")) == 0 ? Integer.parseInt(id("-u")) : -1;
  }

  @AfterEach
  void tearDown() {
    if (box != null) {
      box.close();
    }
  }

  /** The app, broken into since the last boot, points a path root used to write at the victim. */
  @ParameterizedTest
  @CsvSource({
      // planted at, pointing into the victim at, the boot's exit, a line that shows it got there
      "revisions.log, precious, 0, switch",
      "releases.json, releases.json, 0, switch",
      "shared/tmp, '', 73, deploy",
      "shared/log, sub, 1, start",
      "current, '', 0, deploy"})
  void aLinkPlantedInTheUsersTree_leadsNowhereOutsideIt(String at, String into, int exit, String reached) throws Exception {
    box.boot().assertExit(0);
    box.run("stop", "--config", box.config.toString()).assertExit(0);
    Map<String, String> before = snapshot(victim);
    replaceWithLink(box.deployTo.resolve(at), into.isEmpty() ? victim : victim.resolve(into));

    CliProcess.Result result = box.boot();

    assertEquals(exit, result.exitCode(), result.toString());
    assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith(reached + " ")), "got as far as " + reached + ": " + result);
    assertEquals(before, snapshot(victim), result.toString());
  }

  @Test
  void theRepositoryPassword_neverReachesWhereTheUserPointsTheFetch() throws Exception {
    Path served = temp.resolve("served");
    try (org.eclipse.jgit.api.Git ignored = org.eclipse.jgit.api.Git.cloneRepository().setURI(repo.toUri().toString())
        .setBare(true).setDirectory(served.resolve("payroll.git").toFile()).call()) {
      // a bare copy of the app, served over http with a password
    }
    List<String> stolen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer thief = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    thief.createContext("/", exchange -> {
      try (exchange) {
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).ifPresent(stolen::add);
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
      }
    });
    thief.start();
    try (GitHttpServer server = GitHttpServer.start(served, "deploy", "S3cret-deploy-pw")) {
      String url = server.url("payroll.git");
      Path password = temp.resolve("scm-password");
      Files.writeString(password, "S3cret-deploy-pw\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
      // the user's own git settings, where a fetch as the user would read them, point the url at the thief
      try (org.eclipse.jgit.api.Git mirror = org.eclipse.jgit.api.Git.cloneRepository()
          .setURI(served.resolve("payroll.git").toUri().toString()).setBare(true)
          .setDirectory(box.deployTo.resolve("repo").toFile()).call()) {
        var config = mirror.getRepository().getConfig();
        config.setString("remote", "origin", "url", url);
        config.setString("url", "http://127.0.0.1:" + thief.getAddress().getPort() + "/", "insteadOf",
            url.replace("payroll.git", ""));
        config.save();
      }
      new ProcessBuilder("chown", "-R", RunAsUserTest.USER, box.deployTo.toString()).start().waitFor();
      box.configText("user: " + RunAsUserTest.USER + "\n" + box.smallPayrollConfig("type: git\nurl: " + url
          + "\nusername: deploy\npassword_file: " + password + "\n", "")
          .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));

      CliProcess.Result result = box.boot();

      assertEquals(0, result.exitCode(), result.toString());
      assertEquals(List.of(), stolen, "nothing reached the thief");
      assertTrue(Files.isDirectory(box.stateDir.resolve("repo")), "root fetches into a mirror of its own");
      assertTrue(!result.all().contains("S3cret-deploy-pw"), result.toString());
    } finally {
      thief.stop(0);
    }
  }

  @Test
  void aPidFileNamingAProcessOfRoots_neverMakesRootSignalIt() throws Exception {
    box.boot().assertExit(0);
    Process rootsOwn = new ProcessBuilder("sleep", "300").start();
    try {
      Path pidFile = box.deployTo.resolve("shared/tmp/pids/planted.pid");
      Files.writeString(pidFile, rootsOwn.pid() + "\n");
      chownToUser(pidFile);
      GitRepos.commit(repo, "README", "v2\n", "v2");

      CliProcess.Result deploy = box.run("deploy", "--config", box.config.toString());

      assertEquals(0, deploy.exitCode(), deploy.toString());
      assertTrue(rootsOwn.isAlive(), "root's process lives: " + deploy);
    } finally {
      rootsOwn.destroyForcibly();
    }
  }

  @Test
  void aMissingDeployToUnderADirectoryOfTheUsers_isMadeByTheUser() throws Exception {
    Path home = temp.resolve("box/home/app-user");
    Files.createDirectories(home);
    chownToUser(home);
    Path deployTo = home.resolve("app");
    box.configText(Files.readString(box.config).replace("deploy_to: " + box.deployTo, "deploy_to: " + deployTo)
        .replace("files: [config/database.yml]", "files: []"));

    CliProcess.Result result = box.boot();

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(userUid, uid(deployTo));
    assertEquals(userUid, uid(deployTo.resolve("releases")));
    box.run("stop", "--config", box.config.toString());
  }

  @Test
  void aHostsFileLinkInADirectoryTheUserCanWrite_isRefused_itsTargetUntouched() throws Exception {
    Path dir = temp.resolve("user-etc-link");
    Files.createDirectories(dir);
    chownToUser(dir);
    Path hosts = dir.resolve("hosts");
    Files.createSymbolicLink(hosts, victim.resolve("precious")); // the user retargets it at root's file
    Map<String, String> before = snapshot(victim);
    box.configText(Files.readString(box.config).replace("hosts_file: " + box.hostsFile, "hosts_file: " + hosts));

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertEquals(before, snapshot(victim));
  }

  @Test
  void releasesAsALink_pruneDeletesNothingOutsideTheTree() throws Exception {
    box.boot().assertExit(0);
    Map<String, String> before = snapshot(victim);
    replaceWithLink(box.deployTo.resolve("releases"), victim);

    CliProcess.Result first = box.boot();
    GitRepos.commit(repo, "README", "changed\n", "change");
    CliProcess.Result second = box.run("deploy", "--config", box.config.toString());

    assertEquals(73, first.exitCode(), first.toString()); // the user's process cannot write into the victim
    assertTrue(first.stdout().lines().anyMatch(l -> l.startsWith("deploy ")), first.toString());
    assertEquals(73, second.exitCode(), second.toString());
    assertEquals(before, snapshot(victim), first + "\n" + second);
  }

  @Test
  void deployToAsALinkTheUserMade_rootGivesNothingAwayThere() throws Exception {
    Path home = temp.resolve("box/home/payroll-parent");
    Files.createDirectories(home);
    chownToUser(home); // the user owns deploy_to's parent, as with a home directory
    Path deployTo = home.resolve("app");
    Files.createDirectories(victim.resolve("shared/config"));
    Files.writeString(victim.resolve("shared/config/database.yml"), "production:\n");
    Files.createDirectories(victim.resolve("releases"));
    Map<String, String> before = snapshot(victim);
    Files.createSymbolicLink(deployTo, victim);
    chownToUser(deployTo);
    box.configText(Files.readString(box.config).replace("deploy_to: " + box.deployTo, "deploy_to: " + deployTo));

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
    assertEquals(before, snapshot(victim), result.toString());
  }

  @Test
  void aRevisionFileInTheRepositoryThatIsALink_isReplaced_itsTargetUntouched() throws Exception {
    Path content = temp.resolve("content");
    GitRepos.copyTree(Examples.smallPayroll(), content);
    Files.createSymbolicLink(content.resolve("REVISION"), victim.resolve("precious"));
    Path linked = GitRepos.fromDirectory(content, temp.resolve("upstream/linked"));
    Map<String, String> before = snapshot(victim);
    for (String user : new String[] {"user: " + RunAsUserTest.USER + "\n", ""}) {
      box.configText(user + box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(linked) + "\n", "")
          .replace("load_balancer: { classic: [smallpayroll-http], drain: 1s }", "env: { APP: payroll }"));

      CliProcess.Result result = box.boot();

      assertEquals(0, result.exitCode(), result.toString());
      assertEquals(before, snapshot(victim));
      Path revision = box.currentTarget().orElseThrow().resolve("REVISION");
      assertTrue(Files.isRegularFile(revision, LinkOption.NOFOLLOW_LINKS), "the deploy's own REVISION");
      box.run("stop", "--config", box.config.toString());
    }
  }

  @Test
  void aReleasesRevisionFileThatIsALink_isNotReadThrough_byReleasesOrStatus() throws Exception {
    box.boot().assertExit(0);
    Path revision = box.currentTarget().orElseThrow().resolve("REVISION");
    Files.delete(revision);
    Files.createSymbolicLink(revision, victim.resolve("precious"));

    CliProcess.Result releases = box.run("releases", "--config", box.config.toString());
    CliProcess.Result status = box.run("status", "--config", box.config.toString());

    assertTrue(!releases.all().contains("root's") && !status.all().contains("root's"), releases + "\n" + status);
  }

  @Test
  void pathsSwappedWhileAmibootDeploys_manyTries_nothingOutsideTheTreeChanges() throws Exception {
    box.boot().assertExit(0);
    Map<String, String> before = snapshot(victim);
    // the app's user (not root: root could do what the user cannot) swaps, in a loop, the staging
    // release, directories inside it, and amiboot's temp files, for links to the victim
    String loop = "while :; do"
        + " for d in \"$1\"/releases/.*.partial; do [ -d \"$d\" ] || continue;"
        + "  for x in script public \"\"; do p=\"$d/$x\"; p=${p%/};"
        + "   mv -f \"$p\" \"$p.swapped-$$\" 2>/dev/null && ln -s \"$2\" \"$p\" 2>/dev/null && echo swap; done; done;"
        + " for f in \"$1\"/.[a-z]*; do [ -e \"$f\" ] && mv -f \"$f\" \"$f.swapped\" 2>/dev/null"
        + "  && ln -s \"$2/precious\" \"$f\" 2>/dev/null && echo swap; done;"
        + " done";
    Process swapper = new ProcessBuilder("setpriv", "--reuid=" + RunAsUserTest.USER, "--regid=" + RunAsUserTest.USER,
        "--init-groups", "--", "sh", "-c", loop, "swapper", box.deployTo.toString(), victim.toString())
        .redirectErrorStream(true).redirectOutput(temp.resolve("swaps.txt").toFile()).start();
    try {
      for (int i = 0; i < 6; i++) {
        GitRepos.commit(repo, "README", "change " + i + "\n", "change " + i);
        box.run("deploy", "--config", box.config.toString());
        assertEquals(before, snapshot(victim), "after deploy " + i);
        Path current = box.currentTarget().orElseThrow();
        assertTrue(Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS), "current -> a real release: " + current);
      }
    } finally {
      swapper.destroyForcibly();
      swapper.waitFor();
    }
    assertTrue(Files.readString(temp.resolve("swaps.txt")).contains("swap"), "the swapper got in");
  }

  @Test
  void aLockFileLinkInAStateDirOthersCanWrite_isRefused_itsTargetUntouched() throws Exception {
    Files.createDirectories(box.stateDir);
    Files.setPosixFilePermissions(box.stateDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.createSymbolicLink(box.stateDir.resolve("amiboot.lock"), victim.resolve("precious"));
    Map<String, String> before = snapshot(victim);

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("state_dir " + box.stateDir + " is not root's alone"), result.stderr());
    assertEquals(before, snapshot(victim));
  }

  @Test
  void aLockFileLink_isRefused_itsTargetUntouched() throws Exception {
    Files.createDirectories(box.stateDir);
    Files.createSymbolicLink(box.stateDir.resolve("amiboot.lock"), victim.resolve("precious"));
    Map<String, String> before = snapshot(victim);

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("it is a symlink"), result.stderr());
    assertEquals(before, snapshot(victim));
  }

  @Test
  void aHostsFileInADirectoryTheUserCanWrite_isRefused_beforeAnythingChanges() throws Exception {
    Path dir = temp.resolve("user-etc");
    Files.createDirectories(dir);
    chownToUser(dir);
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, Box.HOSTS_BEFORE);
    box.configText(Files.readString(box.config).replace("hosts_file: " + box.hostsFile, "hosts_file: " + hosts));

    CliProcess.Result result = box.boot();

    assertEquals(73, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("its directory is not root's alone"), result.stderr());
    assertEquals(Box.HOSTS_BEFORE, Files.readString(hosts));
    assertTrue(box.currentTarget().isEmpty(), "nothing deployed");
  }

  @Test
  void aRootOwnedDeployToWithForeignFiles_isNotHandedToTheUser() throws Exception {
    Files.createDirectories(box.deployTo.resolve("bin"));
    Map<String, String> before = snapshot(box.deployTo);

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("is root's and holds bin, which is not amiboot's"), result.stderr());
    assertEquals(before, snapshot(box.deployTo));
  }

  /** Every path under {@code root} with its type, owner, mode, and a file's content or a link's target. */
  private static Map<String, String> snapshot(Path root) {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
            + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS) + " "
            + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Files.readString(p, StandardCharsets.UTF_8);
        all.put(root.relativize(p).toString(), owner + " " + what);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private void replaceWithLink(Path path, Path target) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(path, path.resolveSibling(path.getFileName() + ".moved"));
    } else {
      Files.deleteIfExists(path);
    }
    Files.createSymbolicLink(path, target);
    chownToUser(path);
  }

  private void chownToUser(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", userUid, LinkOption.NOFOLLOW_LINKS);
  }

  private static String id(String flag) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", flag, RunAsUserTest.USER).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}
