package amiboot.status;

import amiboot.control.ControlClient;
import amiboot.process.WorkerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The role's processes as they are now: asked of the amiboot start process that supervises them
 * when one answers on its control socket, otherwise read from the pid files under
 * {@code shared/tmp/pids} (where a daemonizing start command, or a supervisor that died, left them).
 */
public record RoleService(Optional<ControlClient.Peer> supervisor, List<RoleProcess> processes) {
  public RoleService {
    processes = List.copyOf(processes);
  }

  public static RoleService look(Path socket, Optional<Path> pidDir) throws IOException {
    Optional<ControlClient> client = ControlClient.connect(socket);
    if (client.isPresent()) {
      ControlClient.Snapshot snapshot = client.get().snapshot();
      return new RoleService(Optional.of(snapshot.peer()), snapshot.workers().stream().map(RoleService::row).toList());
    }
    return new RoleService(Optional.empty(), pidDir.map(RoleService::fromPidFiles).orElse(List.of()));
  }

  public boolean anyDown() {
    return processes.stream().anyMatch(RoleProcess::down);
  }

  private static RoleProcess row(WorkerStatus w) {
    return new RoleProcess(w.name(), w.pid(), w.state().name().toLowerCase(Locale.ROOT), w.since(), OptionalInt.of(w.restarts()));
  }

  private static List<RoleProcess> fromPidFiles(Path dir) {
    List<RoleProcess> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
        rows.add(fromPidFile(name, file));
      }
    } catch (IOException e) {
      // no pid directory: nothing left a pid file
    }
    return rows;
  }

  private static RoleProcess fromPidFile(String name, Path file) {
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      java.time.Instant written = Files.getLastModifiedTime(file).toInstant();
      // a process started after its pid file was written is another one that got the pid
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(started -> !started.isAfter(written.plusSeconds(1))).orElse(true));
      return new RoleProcess(name, OptionalLong.of(pid), process.isPresent() ? "running" : "dead",
          process.flatMap(p -> p.info().startInstant()), OptionalInt.empty());
    } catch (IOException | NumberFormatException e) {
      return new RoleProcess(name, OptionalLong.empty(), "unreadable pid file", Optional.empty(), OptionalInt.empty());
    }
  }
}
