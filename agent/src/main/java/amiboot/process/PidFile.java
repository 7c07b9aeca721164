package amiboot.process;

import amiboot.io.UntrustedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What a pid file names, checked: pids are reused, and a pid file outlives a crash. */
public final class PidFile {
  /**
   * How much later than its pid file a process may seem to have started and still be the one that
   * wrote it: the kernel counts start times in clock ticks from boot, the file has wall time.
   */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

  private PidFile() {}

  /** The live process {@code pidFile} names; a process started after the file was written is not it. */
  public static Optional<ProcessHandle> liveProcess(Path pidFile) {
    try {
      Instant written = Files.getLastModifiedTime(pidFile).toInstant();
      long pid = Long.parseLong(UntrustedFile.read(pidFile, 32).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(started -> !started.isAfter(written.plus(CLOCK_SLACK))).orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
