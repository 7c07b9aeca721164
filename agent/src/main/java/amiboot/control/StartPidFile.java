package amiboot.control;

import amiboot.io.AtomicFiles;
import amiboot.process.PidFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code state_dir/amiboot-start.pid}: where {@code amiboot stop} finds the amiboot start process
 * to signal, and where status tells a start that died from one that never ran.
 */
public record StartPidFile(Path file) {
  public static StartPidFile in(Path stateDir) {
    return new StartPidFile(stateDir.resolve("amiboot-start.pid"));
  }

  public boolean exists() {
    return Files.exists(file);
  }

  public void writeThisProcess() throws IOException {
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  public void deleteQuietly() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale pid file names a process that is gone; running() checks that
    }
  }

  /** The process the file names, if it is alive and is the one that wrote it (not a later one that got the pid). */
  public Optional<ProcessHandle> running() {
    return PidFile.liveProcess(file);
  }
}
