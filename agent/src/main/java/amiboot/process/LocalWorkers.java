package amiboot.process;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The workers this process supervises: the {@code amiboot start} process, for as long as it runs. */
public final class LocalWorkers implements Workers {
  private final Clock clock;
  private final RestartPolicy policy;
  private Optional<Supervisor> supervisor = Optional.empty();
  private boolean closed;

  public LocalWorkers(Clock clock, RestartPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  @Override
  public synchronized void start(List<WorkerSpec> specs) throws IOException {
    if (closed) {
      throw new IOException("amiboot start is stopping: it starts no more workers");
    }
    // Never two supervisors for one role: the previous workers go first (a stop that failed earlier).
    stopQuietly(Duration.ofSeconds(10));
    Supervisor started = new Supervisor(specs, policy, clock);
    started.start();
    supervisor = Optional.of(started);
  }

  @Override
  public synchronized int stop(Duration timeout) throws InterruptedException {
    if (supervisor.isEmpty()) {
      return 0;
    }
    int count = supervisor.get().statuses().size();
    supervisor.get().stop(timeout);
    supervisor.get().close();
    supervisor = Optional.empty();
    return count;
  }

  @Override
  public synchronized List<WorkerStatus> statuses() {
    return supervisor.map(Supervisor::statuses).orElse(List.of());
  }

  /**
   * The last stop of this process's life: whatever still runs is stopped, and nothing is started
   * any more (a deploy that got in after the stop path must not leave workers nobody supervises).
   *
   * @return how many workers were still there
   */
  public synchronized int stopForGood(Duration timeout) throws InterruptedException {
    closed = true;
    return stop(timeout);
  }

  private void stopQuietly(Duration timeout) {
    try {
      stop(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
