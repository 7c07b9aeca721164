package amiboot.deploy;

import amiboot.io.Secret;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Repository credentials: the user name, and the password read from {@code password_file} (as
 * root: the file is root's) and handed on in memory, to JGit or SVNKit or to the user's process
 * that deploys (over its stdin), never in argv or the environment.
 */
public record Credentials(String username, Secret password) {
  public static Optional<Credentials> of(SourceSpec spec) throws BootException {
    if (spec.username().isEmpty()) {
      return Optional.empty();
    }
    Secret password = Secret.of("");
    if (spec.passwordFile().isPresent()) {
      Path file = spec.passwordFile().get();
      try {
        password = Secret.readFrom(file);
      } catch (IOException e) {
        // Messages.describe: an AccessDeniedException's own message is only the path again
        throw new BadInputException("cannot read repository.password_file (" + file + "): "
            + (Files.exists(file) ? Messages.describe(e) : "no such file") + "; put the repository password there");
      }
    }
    return Optional.of(new Credentials(spec.username().get(), password));
  }
}
