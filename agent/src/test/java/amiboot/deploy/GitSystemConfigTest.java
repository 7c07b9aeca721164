package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.lb.ElbStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git's system-wide config reaches JGit without running git: the file git would read
 * ({@code GIT_CONFIG_SYSTEM}, else {@code /etc/gitconfig}) is honoured, and no git process starts
 * (JGit would otherwise run two per boot to ask git where that file is).
 */
class GitSystemConfigTest {
  @TempDir Path temp;
  private Box box;
  private ElbStandIn elb;

  @BeforeEach
  void setUp() throws Exception {
    box = new Box(temp.resolve("box"));
    elb = ElbStandIn.start("smallpayroll-http");
    box.loadBalancerEndpoint(elb.endpoint().toString());
  }

  @AfterEach
  void tearDown() {
    box.close();
    elb.close();
  }

  @Test
  void locate_isGitConfigSystem_noneWhenItIsEmpty_elseEtcGitconfig() {
    assertEquals(Optional.of(new File("/etc/gitconfig")), GitSystemConfig.locate(name -> null));
    assertEquals(Optional.empty(), GitSystemConfig.locate(name -> ""), "as git: GIT_CONFIG_SYSTEM= reads no system config");
    assertEquals(Optional.of(new File("/srv/git/system.conf")),
        GitSystemConfig.locate(name -> name.equals("GIT_CONFIG_SYSTEM") ? "/srv/git/system.conf" : null));
  }

  @Test
  void planAndBoot_honourTheSystemConfig_andRunNoGit() throws Exception {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    // The config names a host that does not exist; only the system config's insteadOf leads to the repository.
    Path systemConfig = Files.writeString(temp.resolve("gitconfig"),
        "[url \"" + GitRepos.url(repo.getParent()) + "/\"]\n\tinsteadOf = https://git.invalid/\n");
    Path ranGit = temp.resolve("git-ran");
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path fakeGit = Files.writeString(bin.resolve("git"), "#!/bin/sh\necho \"$@\" >>" + ranGit + "\nexit 1\n");
    Files.setPosixFilePermissions(fakeGit, PosixFilePermissions.fromString("rwxr-xr-x"));
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app")
        .env("GIT_CONFIG_SYSTEM", systemConfig.toString())
        .env("PATH", bin + File.pathSeparator + System.getenv("PATH"))
        .config("type: git\nurl: https://git.invalid/payroll\n");
    String head = GitRepos.commit(repo, "public/robots.txt", "User-agent: *\n", "robots");

    CliProcess.Result plan = box.run("plan", "--config", box.config.toString());
    CliProcess.Result boot = box.boot();

    plan.assertExit(0);
    assertTrue(plan.stdout().contains("repository at " + head), plan.toString());
    boot.assertExit(0);
    assertEquals(head + "\n", Box.read(box.currentTarget().orElseThrow().resolve("REVISION")));
    assertFalse(Files.exists(ranGit), () -> "git was run: " + Box.read(ranGit));
  }

  @Test
  void anUnreadableGitConfig_isBadInput_notAnOutageToRetry() throws Exception {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    Path systemConfig = Files.writeString(temp.resolve("gitconfig"), "[[[ not a git config\n");
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app")
        .env("GIT_CONFIG_SYSTEM", systemConfig.toString())
        .config("type: git\nurl: " + GitRepos.url(repo) + "\n");
    Map<String, String> before = box.snapshot();

    CliProcess.Result boot = box.boot();

    boot.assertExit(65);
    String error = boot.stderr().strip();
    assertEquals(1, error.lines().count(), "one line: " + error);
    assertTrue(error.contains("cannot read git's config: Cannot read file " + systemConfig), error);
    assertEquals(Box.HOSTS_BEFORE, box.hosts(), "hosts file unchanged");
    Map<String, String> after = box.snapshot();
    // state_dir (var/lib/amiboot) records the failed run; everything else stays as it was.
    after.keySet().removeIf(k -> k.startsWith("var"));
    before.keySet().removeIf(k -> k.startsWith("var"));
    assertEquals(before, after, "deploy directory unchanged");
  }
}
