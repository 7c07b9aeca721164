package amiboot.cli;

import amiboot.boot.Shutdown;
import amiboot.config.AgentConfig;
import amiboot.control.StartPidFile;
import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.UnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Take the instance out of service and stop the role.",
        "Deregisters from the role's load balancers, waits load_balancer.drain",
        "for requests in flight, then runs the role's stop command: never the",
        "other way round. When 'amiboot start' runs, it is sent SIGTERM and",
        "does the same itself. The repository is not contacted."})
final class StopCommand implements Callable<Integer> {
  /** How long amiboot start may take to deregister, drain and stop its processes. */
  private static final Duration STOP_WAIT = Duration.ofMinutes(10);

  /** The hidden option amiboot start's stop path runs with: the stop itself, for that start's workers. */
  static final String FROM_START = "--from-start";
  /**
   * How long amiboot start's stop path waits for another amiboot's lock: a deploy in progress
   * restarts the workers through amiboot start, so it is waited for rather than left behind. Well
   * inside the unit's and the init script's stop budget (5 minutes), which must also hold drain and
   * stop_timeout.
   */
  private static final Duration START_LOCK_WAIT = Duration.ofMinutes(2);

  @Mixin CommonOptions options;

  @Option(names = FROM_START, hidden = true,
      description = "Run by amiboot start on SIGTERM: stop its workers through its socket, not by signalling it.")
  boolean fromStart;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  StopCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "stop", () -> {
      AgentConfig config = options.readConfig();
      if (fromStart) {
        var report = new Shutdown(metadata.contextWithService(config, streams).withLockWait(START_LOCK_WAIT)).run();
        streams.out().println(Reports.stopped(report));
        return ExitCodes.OK;
      }
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
