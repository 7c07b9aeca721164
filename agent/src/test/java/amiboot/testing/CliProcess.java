package amiboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs amiboot's CLI in a child JVM, as an operator would run the jar: its own process (so the
 * SDK reads its endpoints and credentials from the environment), real exit code, real streams.
 */
public final class CliProcess {
  private CliProcess() {}

  /** What the command printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr, String appLogs) {
    public String all() {
      return stdout + stderr;
    }

    /** Fails with everything printed (and the app's logs) unless the exit code is {@code expected}. */
    public Result assertExit(int expected) {
      if (exitCode != expected) {
        throw new AssertionError("expected exit " + expected + ", got " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + appLogs;
    }
  }

  public static Result run(Path workDir, Map<String, String> env, Duration timeout, String... args) {
    return runUnder(List.of(), workDir, env, timeout, args);
  }

  /** Like {@link #run}, with the JVM started by {@code wrapper} (say {@code setpriv ...}): a process that is less than root. */
  public static Result runUnder(List<String> wrapper, Path workDir, Map<String, String> env, Duration timeout, String... args) {
    try {
      Files.createDirectories(workDir);
      Path out = Files.createTempFile(workDir, "cli", ".out");
      Path err = Files.createTempFile(workDir, "cli", ".err");
      Process process = builder(wrapper, workDir, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("amiboot " + String.join(" ", args) + " did not finish within " + timeout
            + "\n" + Files.readString(out) + Files.readString(err));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts the CLI and returns at once: its stdout is a pipe to read as it goes, its stderr is discarded. */
  public static Process start(Path workDir, Map<String, String> env, String... args) {
    return start(workDir, env, ProcessBuilder.Redirect.DISCARD, args);
  }

  /** Like {@link #start(Path, Map, String...)}, its stderr going to {@code stderr}. */
  public static Process start(Path workDir, Map<String, String> env, ProcessBuilder.Redirect stderr, String... args) {
    try {
      Files.createDirectories(workDir);
      return builder(List.of(), workDir, env, args).redirectError(stderr).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProcessBuilder builder(List<String> wrapper, Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", ReadableClasspath.value(), "amiboot.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    builder.environment().put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-aws-credentials").toString());
    builder.environment().putAll(env);
    return builder;
  }
}
