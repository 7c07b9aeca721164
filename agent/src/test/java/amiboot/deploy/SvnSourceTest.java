package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.testing.SvnServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SvnSource (SVNKit) against a real svnserve that requires a user name and password. */
class SvnSourceTest {

  private static final String USER = "deploy";
  private static final String PASSWORD = "s3cret-Pa55";

  @TempDir Path tmp;

  private SvnServer server;
  private Path passwordFile;

  @BeforeEach
  void start() throws IOException {
    Path content = tmp.resolve("content");
    write(content.resolve("README"), "version 1\n");
    write(content.resolve("config/app.yml"), "name: payroll\n");
    Path script = content.resolve("script/server");
    write(script, "#!/bin/sh\necho started\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    server = SvnServer.start(tmp.resolve("svn"), content, USER, PASSWORD);
    passwordFile = tmp.resolve("scm-password");
    write(passwordFile, PASSWORD + "\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void export_writesFilesAndRevisionOne_noSvnMetadata() throws Exception {
    Path dest = tmp.resolve("release");

    Revision revision = svn(passwordFile, Optional.empty()).export(dest, Optional.empty());

    assertEquals("1", revision.id());
    assertEquals(server.trunkUrl(), revision.source());
    assertEquals("version 1\n", read(dest.resolve("README")));
    assertEquals("name: payroll\n", read(dest.resolve("config/app.yml")));
    assertFalse(Files.exists(dest.resolve(".svn"), LinkOption.NOFOLLOW_LINKS), "an export, not a working copy");
    assertTrue(Files.isExecutable(dest.resolve("script/server")), "svn:executable kept");
    assertFalse(Files.isExecutable(dest.resolve("README")));
  }

  @Test
  void export_deployerWritesRevisionFile() throws Exception {
    ReleaseLayout layout = new ReleaseLayout(tmp.resolve("deploy"));
    Deployer deployer = new Deployer(layout, SharedConfig.none(), 5, Clock.systemUTC());

    Deployment d = deployer.deploy(svn(passwordFile, Optional.empty()), "20240102030405", "tester");

    assertEquals("1\n", read(d.releaseDir().resolve("REVISION")));
    assertEquals("version 1\n", read(layout.current().resolve("README")));
  }

  @Test
  void export_specificRevision_oldContentAfterSecondCommit() throws Exception {
    server.commit(tmp.resolve("scratch"), "README", "version 2\n");

    Revision old = svn(passwordFile, Optional.of("1")).export(tmp.resolve("r1"), Optional.empty());
    Revision head = svn(passwordFile, Optional.empty()).export(tmp.resolve("head"), Optional.empty());

    assertEquals("1", old.id());
    assertEquals("version 1\n", read(tmp.resolve("r1/README")));
    assertEquals("2", head.id());
    assertEquals("version 2\n", read(tmp.resolve("head/README")));
  }

  @Test
  void export_wrongPassword_badInputWithoutThePassword() throws Exception {
    String wrong = "wrong-Secr3t-value";
    Path wrongFile = tmp.resolve("wrong-password");
    write(wrongFile, wrong + "\n");
    Path dest = tmp.resolve("release");

    BadInputException e = assertThrows(BadInputException.class, () -> svn(wrongFile, Optional.empty()).export(dest, Optional.empty()));

    assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
    assertTrue(e.getMessage().contains(USER), e.getMessage());
    assertFalse(e.getMessage().contains(wrong), "the password must never be in the message: " + e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertFalse(Files.exists(dest.resolve("README")), "nothing exported");
  }

  @Test
  void peek_wrongPassword_badInput() throws Exception {
    Path wrongFile = tmp.resolve("wrong-password");
    write(wrongFile, "nope-nope\n");

    BadInputException e = assertThrows(BadInputException.class, () -> svn(wrongFile, Optional.empty()).peek());

    assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
    assertFalse(e.getMessage().contains("nope-nope"), e.getMessage());
  }

  @Test
  void construct_badRevisionText_badInput() {
    BadInputException e = assertThrows(BadInputException.class, () -> svn(passwordFile, Optional.of("abc")));

    assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
    assertTrue(e.getMessage().contains("repository.revision"), e.getMessage());
  }

  @Test
  void peek_latestRevisionNumber() throws Exception {
    assertEquals("1", svn(passwordFile, Optional.empty()).peek().id());

    server.commit(tmp.resolve("scratch"), "README", "version 2\n");
    server.commit(tmp.resolve("scratch"), "NEWS", "news\n");

    assertEquals("3", svn(passwordFile, Optional.empty()).peek().id());
    assertEquals("3", svn(passwordFile, Optional.of("HEAD")).peek().id());
    assertFalse(Files.exists(tmp.resolve("release")));
  }

  private SvnSource svn(Path password, Optional<String> revision) throws BootException {
    return new SvnSource(new SourceSpec(RepositoryType.SVN, server.trunkUrl(), Optional.of(USER), Optional.of(password),
        Optional.empty(), revision));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
