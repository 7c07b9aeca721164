package amiboot.process;

import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Runs a role's start or stop command (an argv list, never a shell line) with zt-exec: in the
 * release, with a clean environment, output appended to a log file, exit code checked, bounded in
 * time. Start commands are expected to daemonize and return, like {@code mongrel_rails cluster::start}.
 */
public final class CommandRunner {
  /** Variables passed through from amiboot's own environment; everything else is dropped. */
  private static final List<String> PASSED_THROUGH = List.of("PATH", "LANG", "LC_ALL", "TZ");
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** How a command ended. */
  public record Result(int exitCode, Duration took) {}

  /**
   * Runs {@code argv}; a non-zero exit, a timeout or a command that cannot start is an
   * {@link AppFailedException} naming the log to read.
   */
  public Result run(String what, List<String> argv, Path directory, Map<String, String> env, Path log, Duration timeout)
      throws BootException {
    Instant start = Instant.now();
    try (OutputStream out = openLog(log)) {
      out.write(("--- " + start + " amiboot " + what + ": " + String.join(" ", argv) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      int exit = new ProcessExecutor()
          .command(argv)
          .directory(directory.toFile())
          .environment(cleanEnvironment(env))
          .redirectInput(new ByteArrayInputStream(new byte[0]))
          .redirectOutput(out)
          .redirectErrorStream(true)
          .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          // A daemon that keeps the command's stdout open must not hold the boot hostage.
          .closeTimeout(2, TimeUnit.SECONDS)
          .exitValueAny()
          .execute()
          .getExitValue();
      Duration took = Duration.between(start, Instant.now());
      if (exit != 0) {
        throw new AppFailedException(what + " command failed with exit code " + exit + " (" + argv.get(0)
            + "): see " + log);
      }
      return new Result(exit, took);
    } catch (TimeoutException e) {
      throw new AppFailedException(what + " command did not finish within " + DurationText.format(timeout) + " ("
          + argv.get(0) + "): a start command must start the app in the background and exit; see " + log);
    } catch (IOException e) {
      throw new AppFailedException(what + " command cannot run (" + argv.get(0) + "): " + rootMessage(e)
          + "; check the command in the role's config and the release");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppFailedException("interrupted while running the " + what + " command");
    }
  }

  private static OutputStream openLog(Path log) throws CannotWriteException {
    try {
      Files.createDirectories(log.getParent());
      return Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new CannotWriteException("cannot open the command log (" + log + "): " + e.getMessage(), e);
    }
  }

  /**
   * amiboot's own environment may hold AWS credentials or endpoints: the app gets only PATH and
   * locale from it, plus what the config sets. A null value tells zt-exec to remove the variable.
   */
  static Map<String, String> cleanEnvironment(Map<String, String> wanted) {
    Map<String, String> env = new HashMap<>();
    System.getenv().keySet().forEach(key -> env.put(key, null));
    for (String key : PASSED_THROUGH) {
      String value = System.getenv(key);
      if (value != null) {
        env.put(key, value);
      }
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    if (env.get("PATH") == null) {
      env.put("PATH", DEFAULT_PATH);
    }
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
