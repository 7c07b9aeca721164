package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import amiboot.config.RepositoryType;
import amiboot.pipeline.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repository.password_file as a real file: what the message says when it cannot be used, never the password. */
class CredentialsTest {
  @TempDir Path dir;

  private String refused(Path passwordFile) {
    SourceSpec spec = new SourceSpec(RepositoryType.GIT, "https://git.example.com/payroll.git", Optional.of("deploy"),
        Optional.of(passwordFile), Optional.empty(), Optional.empty());
    return assertThrows(BadInputException.class, () -> Credentials.of(spec)).getMessage();
  }

  @Test
  void aPasswordFileThatIsNotUtf8_namesTheByte_notThePassword() throws Exception {
    Path file = Files.write(dir.resolve("scm-password"), "s3cret-p\u00e4ss\n".getBytes(StandardCharsets.ISO_8859_1));

    assertEquals("cannot read repository.password_file (" + file + "): not valid UTF-8 at byte 8 (line 1);"
        + " put the repository password there", refused(file));
  }

  @Test
  void aDirectoryAsThePasswordFile_saysWhy() throws Exception {
    Path directory = Files.createDirectories(dir.resolve("scm-password"));

    assertEquals("cannot read repository.password_file (" + directory + "): Is a directory; put the repository password there",
        refused(directory));
  }
}
