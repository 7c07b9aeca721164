package amiboot.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log of a role's command under deploy_to (shared/log), and a worker's pid file. As root with
 * {@code user:}, those directories are the user's, who can put a symlink anywhere in them at any
 * moment. So amiboot (root) never opens, creates or removes anything there itself: a shell running
 * as the user does it, with the user's rights, and a planted link leads only where the user could
 * write anyway. The command's own shell writes amiboot's header line, opens the log, writes the
 * pid file and becomes the command.
 */
record AppLog(Path file, RunAs runAs) {
  /**
   * $1 the log, $2 amiboot's header line, $3 the pid file or empty, $4 the directory to run in,
   * then the command. Exits 73
   * (sysexits' "cannot create") with one line on stderr when the user cannot open the log.
   */
  private static final String HEADER_LOG_PIDFILE_EXEC = String.join("\n",
      "log=$1 header=$2 pidfile=$3 dir=$4; shift 4",
      "mkdir -p -- \"${log%/*}\" 2>/dev/null",
      "if ! { true >>\"$log\"; } 2>/dev/null; then", // true, not the special built-in :, whose failure ends sh
      "  echo \"amiboot: cannot write the command log ($log) as $(id -un): it must be a file that user can write\" >&2",
      "  exit 73",
      "fi",
      // a full disk has no room for the header, nor for the command's output: no reason not to run it
      "{ printf '%s\\n' \"$header\" >>\"$log\"; } 2>/dev/null",
      "if [ -n \"$pidfile\" ]; then",
      "  mkdir -p -- \"${pidfile%/*}\" 2>/dev/null",
      "  { printf '%s\\n' $$ >\"$pidfile.tmp\" && mv -f -- \"$pidfile.tmp\" \"$pidfile\"; } 2>/dev/null"
          + " || echo \"--- amiboot: cannot write the pid file $pidfile as $(id -un)\" >>\"$log\"",
      "fi",
      "exec >>\"$log\" 2>&1",
      // the release's directory entered as the user: as root, current could lead anywhere
      "cd -- \"$dir\" || exit 73",
      "exec \"$@\"");
  private static final String APPEND = "printf '%s\\n' \"$2\" >>\"$1\"";
  private static final String REMOVE = "rm -f -- \"$1\"";

  /**
   * The argv that runs {@code command} as the user, in {@code directory}, with {@code header} and
   * then its output appended to this log, and its pid written to {@code pidFile} when given. Start
   * it in /, with stdout discarded: its stderr is only used until the log is open (setpriv or sh
   * failing).
   */
  List<String> argv(String header, Optional<Path> pidFile, Path directory, List<String> command) {
    List<String> shell = new ArrayList<>(List.of("sh", "-c", HEADER_LOG_PIDFILE_EXEC, "amiboot-run", file.toString(), header,
        pidFile.map(Path::toString).orElse(""), directory.toString()));
    shell.addAll(command);
    return runAs.wrap(shell);
  }

  /** Appends one of amiboot's lines (a worker that exited), as the user; a line that cannot go in is lost. */
  void appendQuietly(String line) {
    runQuietly(List.of("sh", "-c", APPEND, "amiboot-log", file.toString(), line));
  }

  /** Removes a pid file of this log's command, as the user. */
  static void removeQuietly(RunAs runAs, Path pidFile) {
    new AppLog(pidFile, runAs).runQuietly(List.of("sh", "-c", REMOVE, "amiboot-rm", pidFile.toString()));
  }

  private void runQuietly(List<String> shell) {
    try {
      runAs.runQuietly(shell, Duration.ofSeconds(10));
    } catch (IOException e) {
      // the log is where it would have been said
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
