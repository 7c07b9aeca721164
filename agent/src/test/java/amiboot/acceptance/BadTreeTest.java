package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import amiboot.testing.SvnServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A repository tree that git itself refuses to check out: a name twice in one tree, a .git
 * directory. The boot exits 65 naming the path, and deploys no release.
 */
class BadTreeTest {
  @TempDir Path temp;
  private Box box;

  @BeforeEach
  void setUp() {
    box = new Box(temp.resolve("box"));
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  private Path gitRepository() {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
    return repo;
  }

  /** Exit 65, one line holding {@code expected}, no release and no current. */
  private void assertRefused(String expected) {
    CliProcess.Result result = box.boot().assertExit(65);

    String error = result.stderr().strip();
    assertEquals(1, error.lines().count(), result.toString());
    assertTrue(error.contains(expected), result.toString());
    assertEquals(List.of(), box.releases(), "no release left behind");
    assertTrue(Files.notExists(box.current()), "no current");
  }

  @Test
  void git_twoEntriesOfOneName_is65_namingThePath() {
    GitRepos.commitRaw(gitRepository(), "a name twice", "config/notes.txt", "one\n", "config/notes.txt", "two\n");

    assertRefused(": the tree has two entries named config/notes.txt, which git itself refuses (git fsck: duplicateEntries)");
  }

  @Test
  void git_aFileAndADirectoryOfOneName_is65() {
    GitRepos.commitRaw(gitRepository(), "a file and a directory", "doc", "a file\n", "doc/index.txt", "in a directory\n");

    assertRefused(": the tree has two entries named doc,");
  }

  @ParameterizedTest
  @ValueSource(strings = {".git/config", "public/.GIT/hooks/post-checkout", "lib/.Git. /HEAD", "git~1/config"})
  void git_aDotGitDirectory_is65_namingThePath(String path) {
    GitRepos.commitRaw(gitRepository(), "a .git directory", path, "[core]\n\thooksPath = /tmp\n");

    assertRefused(" holds " + path + ", a path through a .git directory, which git refuses to check out");
  }

  @Test
  void svn_aDotGitDirectory_is65_namingThePath() throws Exception {
    try (SvnServer svn = SvnServer.start(temp.resolve("svn"), Examples.smallPayroll(), "deploy", "pw")) {
      Path passwordFile = Files.createDirectories(box.root.resolve("etc/amiboot")).resolve("scm-password");
      Files.writeString(passwordFile, "pw\n");
      box.config("type: svn\nurl: " + svn.trunkUrl() + "\nusername: deploy\npassword_file: " + passwordFile + "\n");
      svn.commit(temp, "public/.git/config", "[core]\n\thooksPath = /tmp\n");

      assertRefused(" holds public/.git, a path through a .git directory, which git refuses to check out");
    }
  }
}
