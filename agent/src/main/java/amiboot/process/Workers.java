package amiboot.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A role's supervised workers, wherever they are supervised: in this process ({@link LocalWorkers},
 * in {@code amiboot start}) or in the {@code amiboot start} process another command talks to
 * (deploy and rollback restart the workers through it).
 */
public interface Workers {
  /** Starts {@code specs} and keeps them running; workers already running are stopped first. */
  void start(List<WorkerSpec> specs) throws IOException;

  /**
   * SIGTERM to every worker's process group, SIGKILL after {@code timeout}.
   *
   * @return how many workers there were
   */
  int stop(Duration timeout) throws IOException, InterruptedException;

  List<WorkerStatus> statuses() throws IOException;
}
