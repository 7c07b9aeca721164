package amiboot.status;

import amiboot.io.UntrustedFile;
import amiboot.control.ControlClient;
import amiboot.control.ControlServer;
import amiboot.control.StartPidFile;
import amiboot.process.PidFile;
import amiboot.process.WorkerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The role's service as it is now. A run: role's workers are asked of the amiboot start process
 * that supervises them; the processes of a role whose start command daemonizes are read from the
 * pid files under {@code shared/tmp/pids}.
 *
 * @param supervisor the amiboot start that answered on its control socket
 * @param startAlive the pid of a live amiboot start (by its pid file), whether or not it answered
 * @param startPidFile whether amiboot start's pid file is there (it is removed when it stops)
 * @param unanswered why a socket that is there gave no answer
 */
public record RoleService(Optional<ControlClient.Peer> supervisor, OptionalLong startAlive, boolean startPidFile,
    Optional<String> unanswered, List<RoleProcess> processes) {
  public RoleService {
    processes = List.copyOf(processes);
  }

  /** {@code supervised}: the role has a run: command (from the last run's record). */
  public static RoleService look(Path stateDir, Optional<Path> pidDir, boolean supervised) {
    Optional<ControlClient.Peer> supervisor = Optional.empty();
    Optional<String> unanswered = Optional.empty();
    List<RoleProcess> processes = List.of();
    try {
      Optional<ControlClient> client = ControlClient.connect(ControlServer.socketIn(stateDir));
      if (client.isPresent()) {
        ControlClient.Snapshot snapshot = client.get().snapshot();
        supervisor = Optional.of(snapshot.peer());
        processes = snapshot.workers().stream().map(RoleService::row).toList();
      }
    } catch (IOException e) {
      unanswered = Optional.of(e.getMessage());
    }
    if (!supervised) {
      processes = pidDir.map(RoleService::fromPidFiles).orElse(List.of());
    }
    StartPidFile start = StartPidFile.in(stateDir);
    OptionalLong alive = start.running().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
    return new RoleService(supervisor, alive, start.exists(), unanswered, processes);
  }

  public boolean anyDown() {
    return processes.stream().anyMatch(RoleProcess::down);
  }

  private static RoleProcess row(WorkerStatus w) {
    return new RoleProcess(w.name(), w.pid(), RoleProcess.State.valueOf(w.state().name()), w.since(),
        OptionalInt.of(w.restarts()));
  }

  private static List<RoleProcess> fromPidFiles(Path dir) {
    List<RoleProcess> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().toList()) {
        rows.add(fromPidFile(file.getFileName().toString().replaceFirst("\\.pid$", ""), file));
      }
    } catch (IOException e) {
      // no pid directory: nothing left a pid file
    }
    return rows;
  }

  private static RoleProcess fromPidFile(String name, Path file) {
    OptionalLong pid;
    try {
      pid = OptionalLong.of(Long.parseLong(UntrustedFile.read(file, 32).strip()));
    } catch (IOException | NumberFormatException e) {
      return new RoleProcess(name, OptionalLong.empty(), RoleProcess.State.UNREADABLE_PID_FILE, Optional.empty(),
          OptionalInt.empty());
    }
    Optional<ProcessHandle> process = PidFile.liveProcess(file);
    return new RoleProcess(name, pid, process.isPresent() ? RoleProcess.State.RUNNING : RoleProcess.State.DEAD,
        process.flatMap(p -> p.info().startInstant()), OptionalInt.empty());
  }
}
