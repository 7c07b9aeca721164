package amiboot.process;

import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BootException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a role's start or stop command (an argv list, never a shell line): in the release, as the
 * role's user, with a clean environment, output appended to a log file, exit code checked, bounded
 * in time. Start commands are expected to daemonize and return, like {@code mongrel_rails cluster::start}.
 *
 * <p>The child writes straight into the log file (no pipe), which it opens itself, as its user
 * (see {@link AppLog}). zt-exec always pumps a child's output through a pipe; a daemon that keeps
 * that stdout (say {@code nohup app &}) would be killed by SIGPIPE as soon as amiboot exits.
 * zt-exec stays for short commands whose output amiboot reads.
 */
public final class CommandRunner {
  /** Variables passed through from amiboot's own environment; everything else is dropped. */
  private static final List<String> PASSED_THROUGH = List.of("PATH", "LANG", "LC_ALL", "TZ");
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** How a command ended. */
  public record Result(int exitCode, Duration took) {}

  /**
   * Runs {@code argv} as {@code runAs}; a non-zero exit, a timeout or a command that cannot start
   * is an {@link AppFailedException} naming the log to read.
   */
  public Result run(String what, RunAs runAs, List<String> argv, Path directory, Map<String, String> env, Path log,
      Duration timeout) throws BootException {
    Instant start = Instant.now();
    String header = "--- " + start + " amiboot " + what + ": " + String.join(" ", runAs.wrap(argv));
    ProcessBuilder builder = new ProcessBuilder(new AppLog(log, runAs).argv(header, Optional.empty(), directory, argv))
        .directory(new java.io.File("/"))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().clear();
    builder.environment().putAll(environment(env));
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AppFailedException(what + " command did not finish within " + DurationText.format(timeout) + " ("
            + argv.get(0) + "): a start command must start the app in the background and exit; see " + log);
      }
      int exit = process.exitValue();
      if (exit != 0) {
        throw new AppFailedException(what + " command failed with exit code " + exit + " (" + argv.get(0)
            + "): see " + log);
      }
      return new Result(exit, Duration.between(start, Instant.now()));
    } catch (IOException e) {
      throw new AppFailedException(what + " command cannot run (" + argv.get(0) + "): " + rootMessage(e)
          + "; check the command in the role's config and the release");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppFailedException("interrupted while running the " + what + " command");
    }
  }

  /**
   * amiboot's own environment may hold AWS credentials or endpoints: the app gets only PATH and
   * the locale from it, plus what the config and amiboot set.
   */
  public static Map<String, String> environment(Map<String, String> wanted) {
    Map<String, String> env = new java.util.HashMap<>();
    for (String key : PASSED_THROUGH) {
      String value = System.getenv(key);
      if (value != null) {
        env.put(key, value);
      }
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    env.putAll(wanted);
    return env;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
