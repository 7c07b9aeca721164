package amiboot.process;

import amiboot.io.FileOwner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log of a role's command under deploy_to (shared/log): amiboot writes its own lines into it,
 * the command appends its output. As root with {@code user:}, that directory is the user's, who
 * can put a symlink to /etc/passwd at the log's name. So amiboot never follows a symlink there,
 * and never opens the log for the command: the command's shell opens it once it runs as the user,
 * with the user's rights. A log amiboot opened as root would give the app root's write access.
 */
record AppLog(Path file, RunAs runAs) {
  /** Opens the log for append on stdout and stderr, then becomes the command. */
  private static final String APPEND_THEN_EXEC = "exec >>\"$0\" 2>&1 && exec \"$@\"";

  /** Appends a line of amiboot's, creating the log (and its missing directories) for the user. */
  void append(String line) throws IOException {
    Optional<FileOwner> owner = runAs.owner();
    if (owner.isPresent()) {
      owner.get().createDirectories(file.getParent());
    } else {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        LinkOption.NOFOLLOW_LINKS);
    if (owner.isPresent()) {
      owner.get().apply(file);
    }
  }

  /**
   * The argv that runs {@code command} as the user with its output appended to this log. Start it
   * with stdout discarded: its stderr is only used until the log is open (setpriv or sh failing).
   */
  List<String> argv(List<String> command) {
    List<String> shell = new ArrayList<>(List.of("sh", "-c", APPEND_THEN_EXEC, file.toString()));
    shell.addAll(command);
    return runAs.wrap(shell);
  }
}
