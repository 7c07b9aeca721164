package amiboot.cli;

import amiboot.boot.Boot;
import amiboot.boot.BootReport;
import amiboot.boot.Shutdown;
import amiboot.boot.Supervision;
import amiboot.config.AgentConfig;
import amiboot.io.AtomicFiles;
import amiboot.process.RestartPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Boot, then stay in the foreground as the role's service.",
        "What the init script and the systemd unit run. A role's run: command is",
        "started in ${workers} numbered copies and supervised (restarted with",
        "backoff, marked failed when it dies too often). SIGTERM, or 'amiboot",
        "stop', deregisters, drains, stops the processes, and exits 0."})
final class StartCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  StartCommand(Streams streams) {
    this.streams = streams;
  }

  /** Where {@code amiboot stop} finds the process to signal. */
  static Path pidFile(AgentConfig config) {
    return config.stateDir().resolve("amiboot-start.pid");
  }

  @Override
  public Integer call() throws InterruptedException {
    Supervision supervision = new Supervision(Clock.systemUTC(), RestartPolicy.DEFAULT);
    AgentConfig[] config = new AgentConfig[1];
    int booted = Failures.guard(streams, options.stacktrace, "start", () -> {
      config[0] = options.readConfig();
      BootReport report = new Boot(metadata.context(config[0], streams), Optional.of(supervision)).run();
      streams.out().println(Reports.summary("boot", report));
      return ExitCodes.OK;
    });
    if (booted != ExitCodes.OK) {
      supervision.stop(Duration.ofSeconds(10)); // nothing this process started outlives a failed start
      return booted;
    }
    writePidFile(config[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(config[0], supervision), "amiboot-stop"));
    streams.out().println("supervising (pid " + ProcessHandle.current().pid()
        + "): SIGTERM or 'amiboot stop' deregisters, drains and stops the role");
    new CountDownLatch(1).await(); // until SIGTERM: the shutdown hook ends the process
    return ExitCodes.OK;
  }

  /** On SIGTERM: the stop path, then exit with its code (0 when the role stopped cleanly). */
  private void shutDown(AgentConfig config, Supervision supervision) {
    int code = Failures.guard(streams, options.stacktrace, "stop", () -> {
      var report = new Shutdown(metadata.context(config, streams), Optional.of(supervision)).run();
      streams.out().println(Reports.stopped(report));
      return ExitCodes.OK;
    });
    try {
      Files.deleteIfExists(pidFile(config));
    } catch (IOException ignored) {
      // a stale pid file names a process that is gone; stop checks that
    }
    streams.out().flush();
    streams.err().flush();
    Runtime.getRuntime().halt(code);
  }

  private void writePidFile(AgentConfig config) {
    try {
      Files.createDirectories(config.stateDir());
      AtomicFiles.write(pidFile(config), (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8),
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      streams.err().println("amiboot: start: cannot write " + pidFile(config) + " (" + e.getMessage()
          + "): amiboot stop will not find this process; stop it with SIGTERM");
    }
  }
}
