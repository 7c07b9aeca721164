package amiboot.cli;

import amiboot.boot.Shutdown;
import amiboot.config.AgentConfig;
import amiboot.control.StartPidFile;
import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Take the instance out of service and stop the role.",
        "Deregisters from the role's load balancers, waits load_balancer.drain",
        "for requests in flight, then runs the role's stop command: never the",
        "other way round. When 'amiboot start' runs, it is sent SIGTERM and",
        "does the same itself. The repository is not contacted."})
final class StopCommand implements Callable<Integer> {
  /** How long amiboot start may take to deregister, drain and stop its processes. */
  private static final Duration STOP_WAIT = Duration.ofMinutes(10);

  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  StopCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "stop", () -> {
      AgentConfig config = options.readConfig();
      Optional<ProcessHandle> start = StartPidFile.in(config.stateDir()).running();
      if (start.isPresent()) {
        return stopStart(start.get());
      }
      var report = new Shutdown(metadata.context(config, streams)).run();
      streams.out().println(Reports.stopped(report));
      return ExitCodes.OK;
    });
  }

  /** SIGTERM to amiboot start, which deregisters, drains and stops the role; then wait for it to end. */
  private int stopStart(ProcessHandle start) throws BootException {
    start.destroy();
    try {
      start.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AppFailedException("amiboot start (pid " + start.pid() + ") got SIGTERM but did not end within "
          + DurationText.format(STOP_WAIT) + ": see its output (journalctl -u amiboot, or its log)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for amiboot start to stop");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    streams.out().println("stop ok: amiboot start (pid " + start.pid() + ") left the load balancers, drained and stopped the role");
    return ExitCodes.OK;
  }
}
