package amiboot.process;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The workers this process supervises: the {@code amiboot start} process, for as long as it runs. */
public final class LocalWorkers implements Workers, AutoCloseable {
  private final Clock clock;
  private final RestartPolicy policy;
  private Optional<Supervisor> supervisor = Optional.empty();

  public LocalWorkers(Clock clock, RestartPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  @Override
  public synchronized void start(List<WorkerSpec> specs) {
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

  @Override
  public synchronized void close() {
    supervisor.ifPresent(Supervisor::close);
  }

  private void stopQuietly(Duration timeout) {
    try {
      stop(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
