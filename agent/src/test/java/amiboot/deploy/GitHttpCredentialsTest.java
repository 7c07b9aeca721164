package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.pipeline.BadInputException;
import amiboot.testing.GitHttpServer;
import amiboot.testing.GitRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git over smart HTTP with a password: through JGit's credentials provider, and nowhere else. */
class GitHttpCredentialsTest {
  private static final String PASSWORD = "git-S3cret-pw";

  @TempDir Path tmp;
  private GitHttpServer server;
  private Path passwordFile;
  private String commit;

  @BeforeEach
  void setUp() throws Exception {
    Path content = tmp.resolve("content");
    Files.createDirectories(content);
    Files.writeString(content.resolve("README"), "over http\n");
    Path work = GitRepos.fromDirectory(content, tmp.resolve("work"));
    try (Git ignored = Git.cloneRepository().setURI(work.toUri().toString()).setBare(true)
        .setDirectory(tmp.resolve("served/payroll.git").toFile()).call()) {
      commit = ignored.getRepository().resolve("HEAD").name();
    }
    server = GitHttpServer.start(tmp.resolve("served"), "deploy", PASSWORD);
    passwordFile = tmp.resolve("scm-password");
    Files.writeString(passwordFile, PASSWORD + "\n");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private GitSource source(Path passwords) throws Exception {
    SourceSpec spec = new SourceSpec(RepositoryType.GIT, server.url("payroll.git"), Optional.of("deploy"),
        Optional.of(passwords), Optional.empty(), Optional.empty());
    return new GitSource(spec, tmp.resolve("deploy/repo"));
  }

  @Test
  void rightPassword_peekAndExportWork_andThePasswordIsWrittenNowhere() throws Exception {
    GitSource source = source(passwordFile);

    assertEquals(commit, source.peek().id());
    Revision exported = source.export(tmp.resolve("deploy/release"), Optional.empty());

    assertEquals(commit, exported.id());
    assertEquals("over http\n", Files.readString(tmp.resolve("deploy/release/README")));
    try (Stream<Path> files = Files.walk(tmp.resolve("deploy"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertFalse(text.contains(PASSWORD), "the password is in " + f);
        }
      }
    }
    String mirrorUrl = Files.readString(tmp.resolve("deploy/repo/config"));
    assertTrue(mirrorUrl.contains("url = " + server.url("payroll.git")), "no credentials in the cached url: " + mirrorUrl);
  }

  @Test
  void wrongPassword_isBadInput_namingTheUser_neverThePassword() throws Exception {
    Path wrong = tmp.resolve("wrong-password");
    Files.writeString(wrong, "not-it-at-all\n");

    BadInputException e = assertThrows(BadInputException.class, () -> source(wrong).peek());

    assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
    assertTrue(e.getMessage().contains("user deploy"), e.getMessage());
    assertFalse(e.getMessage().contains("not-it-at-all"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }
}
