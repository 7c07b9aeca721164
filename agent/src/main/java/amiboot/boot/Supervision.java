package amiboot.boot;

import amiboot.process.RunAs;
import amiboot.process.WorkerSpec;
import amiboot.process.Workers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A role's {@code run:} workers, numbered copies of its foreground command. They live in the
 * {@code amiboot start} process ({@link amiboot.process.LocalWorkers}); boot, deploy, rollback and
 * stop, each in a process of its own, reach them through its control socket.
 */
public final class Supervision {
  private final Workers workers;
  private final String where;

  /** {@code where}: who supervises, for the step lines ("supervised by amiboot start (pid 42)"). */
  public Supervision(Workers workers, String where) {
    this.workers = workers;
    this.where = where;
  }

  /** Starts {@code count} numbered copies of the run: command, in current. */
  String start(BootPlan plan, Map<String, String> env, RunAs runAs) throws IOException {
    List<WorkerSpec> specs = specs(plan, env, runAs);
    workers.start(specs);
    return specs.size() + " x " + PlanPrinter.argv(plan.supervised().orElseThrow().run()) + ", " + where + ", logs in "
        + specs.get(0).log().resolveSibling(plan.role() + ".N.log");
  }

  /** SIGTERM to every worker's process group, SIGKILL after {@code timeout}. */
  String stop(Duration timeout) throws IOException, InterruptedException {
    int count = workers.stop(timeout);
    return count == 0 ? "no workers running" : "stopped " + count + " workers (SIGTERM, SIGKILL after " + timeout.toSeconds() + "s)";
  }

  private static List<WorkerSpec> specs(BootPlan plan, Map<String, String> env, RunAs runAs) {
    BootPlan.Supervised run = plan.supervised().orElseThrow();
    Path logs = plan.layout().shared().resolve("log");
    Path pids = plan.layout().shared().resolve("tmp/pids");
    List<WorkerSpec> specs = new ArrayList<>();
    for (int i = 1; i <= run.count(); i++) {
      Map<String, String> workerEnv = new HashMap<>(env);
      workerEnv.put("WORKER_INDEX", Integer.toString(i));
      workerEnv.put("PORT", Integer.toString(run.port() + i - 1));
      specs.add(new WorkerSpec(plan.role(), i, run.run(), plan.layout().current(), workerEnv,
          logs.resolve(plan.role() + "." + i + ".log"), pids.resolve(plan.role() + "." + i + ".pid"), runAs));
    }
    return specs;
  }
}
