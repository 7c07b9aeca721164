package amiboot.boot;

import amiboot.process.RestartPolicy;
import amiboot.process.RunAs;
import amiboot.process.Supervisor;
import amiboot.process.WorkerSpec;
import amiboot.process.WorkerStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workers of a role's {@code run:} command, owned by the {@code amiboot start} process that
 * boots and then stays in the foreground: they live as long as it does.
 */
public final class Supervision implements AutoCloseable {
  private final Clock clock;
  private final RestartPolicy policy;
  private Optional<Supervisor> supervisor = Optional.empty();

  public Supervision(Clock clock, RestartPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  /** Starts {@code count} numbered copies of the run: command, in current. */
  synchronized String start(BootPlan plan, Map<String, String> env, RunAs runAs) {
    BootPlan.Supervised run = plan.supervised().orElseThrow();
    List<WorkerSpec> specs = new ArrayList<>();
    Path logs = plan.layout().shared().resolve("log");
    Path pids = plan.layout().shared().resolve("tmp/pids");
    for (int i = 1; i <= run.count(); i++) {
      Map<String, String> workerEnv = new HashMap<>(env);
      workerEnv.put("WORKER_INDEX", Integer.toString(i));
      workerEnv.put("PORT", Integer.toString(run.port() + i - 1));
      specs.add(new WorkerSpec(plan.role(), i, run.run(), plan.layout().current(), workerEnv,
          logs.resolve(plan.role() + "." + i + ".log"), pids.resolve(plan.role() + "." + i + ".pid"), runAs));
    }
    Supervisor started = new Supervisor(specs, policy, clock);
    started.start();
    supervisor = Optional.of(started);
    return run.count() + " x " + PlanPrinter.argv(run.run()) + ", supervised, logs in " + logs.resolve(plan.role() + ".N.log");
  }

  /** SIGTERM to every worker's process group, SIGKILL after {@code timeout}. */
  public synchronized String stop(Duration timeout) throws InterruptedException {
    if (supervisor.isEmpty()) {
      return "no workers running";
    }
    int count = supervisor.get().statuses().size();
    supervisor.get().stop(timeout);
    supervisor.get().close();
    supervisor = Optional.empty();
    return "stopped " + count + " workers (SIGTERM, SIGKILL after " + timeout.toSeconds() + "s)";
  }

  public synchronized List<WorkerStatus> statuses() {
    return supervisor.map(Supervisor::statuses).orElse(List.of());
  }

  @Override
  public synchronized void close() {
    supervisor.ifPresent(Supervisor::close);
  }
}
