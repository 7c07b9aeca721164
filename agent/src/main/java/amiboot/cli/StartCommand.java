package amiboot.cli;

import amiboot.control.ControlServer;
import amiboot.control.StartPidFile;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import amiboot.process.LocalWorkers;
import amiboot.config.AgentConfig;
import amiboot.process.RestartPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Boot, then stay in the foreground as the role's service.",
        "What the init script and the systemd unit run. A role's run: command is",
        "started in $${workers} numbered copies and supervised (restarted with",
        "backoff, marked failed when it dies too often). SIGTERM, or 'amiboot",
        "stop', deregisters, drains, stops the processes, and exits 0. While it",
        "runs, 'amiboot deploy' and 'amiboot rollback' restart the workers through",
        "it (a control socket in state_dir), and 'amiboot status' shows them."})
final class StartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions options;
  @Mixin MetadataOptions metadata;

  private final Streams streams;

  StartCommand(Streams streams) {
    this.streams = streams;
  }

  /** For workers still there after the stop path (it failed, or a deploy started them after it). */
  private static final Duration LAST_STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Boots, then supervises. The boot and, on SIGTERM, the stop path each run in a child JVM
   * ({@code amiboot boot}, {@code amiboot stop --from-start}) that reaches this process's workers
   * through its control socket, as deploy does: what stays resident is only the supervisor.
   */
  @Override
  public Integer call() throws InterruptedException {
    LocalWorkers workers = new LocalWorkers(Clock.systemUTC(), RestartPolicy.DEFAULT);
    Service[] service = new Service[1];
    int booted = Failures.guard(streams, options.stacktrace, "start", () -> {
      AgentConfig config = options.readConfig();
      ChildRun child = childRun();
      service[0] = new Service(config, openControl(config, workers), workers, child);
      return runChild(child, "boot");
    });
    if (booted != ExitCodes.OK) {
      workers.stopForGood(LAST_STOP_TIMEOUT); // nothing this process started outlives a failed start
      if (service[0] != null) {
        service[0].control().close();
      }
      return booted;
    }
    writePidFile(service[0].config());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(service[0]), "amiboot-stop"));
    streams.out().println("supervising (pid " + ProcessHandle.current().pid()
        + "): SIGTERM or 'amiboot stop' deregisters, drains and stops the role; deploy and rollback restart it");
    new CountDownLatch(1).await(); // until SIGTERM: the shutdown hook ends the process
    return ExitCodes.OK;
  }

  /** What the running service holds: its config, its control socket, its workers, how it runs its children. */
  private record Service(AgentConfig config, ControlServer control, LocalWorkers workers, ChildRun child) {}

  private ChildRun childRun() throws BootException {
    try {
      return ChildRun.likeThisProcess(spec.commandLine().getParent().getParseResult().originalArgs(), spec.name())
          .withJvmFlags(System.getenv(ChildRun.CHILD_JAVA_OPTS));
    } catch (IOException e) {
      throw new UnavailableException(e.getMessage() + ": run amiboot start as 'java [flags] -jar amiboot.jar start'", e);
    }
  }

  private static int runChild(ChildRun child, String... command) throws BootException {
    try {
      return child.run(command);
    } catch (IOException e) {
      throw new UnavailableException("cannot run amiboot " + command[0] + " in a child JVM: " + Messages.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while amiboot " + command[0] + " ran");
    }
  }

  /** The control socket that deploy, rollback and status reach this process through; 75 when another start runs. */
  private static ControlServer openControl(AgentConfig config, LocalWorkers workers) throws BootException {
    Path socket = ControlServer.socketIn(config.stateDir());
    try {
      return ControlServer.open(socket, workers, Instant.now());
    } catch (IOException e) {
      throw new CannotWriteException("cannot listen on " + socket + " (" + Messages.describe(e)
          + "): check state_dir (a path of at most 107 bytes) and its permissions", e);
    }
  }

  /** On SIGTERM: the stop path, then exit with its code (0 when the role stopped cleanly). */
  private void shutDown(Service service) {
    int code = Failures.guard(streams, options.stacktrace, "stop",
        () -> runChild(service.child(), "stop", StopCommand.FROM_START));
    stopWhatIsLeft(service.workers());
    service.control().close();
    StartPidFile.in(service.config().stateDir()).deleteQuietly();
    streams.out().flush();
    streams.err().flush();
    Runtime.getRuntime().halt(code);
  }

  /**
   * Nothing this process supervises outlives it: after a failed stop path (the workers would run
   * on unsupervised otherwise), or a deploy that restarted them while it waited for the lock.
   */
  private void stopWhatIsLeft(LocalWorkers workers) {
    try {
      int left = workers.stopForGood(LAST_STOP_TIMEOUT);
      if (left > 0) {
        streams.out().println("stopped " + left + " workers still running as amiboot start ends");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writePidFile(AgentConfig config) {
    StartPidFile pidFile = StartPidFile.in(config.stateDir());
    try {
      pidFile.writeThisProcess();
    } catch (IOException e) {
      streams.err().println("amiboot: start: cannot write " + pidFile.file() + " (" + e.getMessage()
          + "): amiboot stop will not find this process; stop it with SIGTERM");
    }
  }
}
