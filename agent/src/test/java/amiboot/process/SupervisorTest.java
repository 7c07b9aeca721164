package amiboot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real processes: numbered workers, restarts, giving up, and a stop that reaches every process. */
class SupervisorTest {
  private static final RestartPolicy QUICK = new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 50,
      Duration.ofMinutes(1));

  @TempDir Path tmp;
  private Supervisor supervisor;

  @AfterEach
  void tearDown() throws Exception {
    if (supervisor != null) {
      supervisor.stop(Duration.ofSeconds(1));
      supervisor.close();
    }
  }

  @Test
  void workers_areNumbered_withTheirOwnLogAndPidFile_outputNeverOnOurs() throws Exception {
    supervisor = new Supervisor(List.of(worker(1, "echo index=$WORKER_INDEX port=$PORT; exec sleep 60"),
        worker(2, "echo index=$WORKER_INDEX port=$PORT; exec sleep 60")), QUICK, Clock.systemUTC());

    supervisor.start();

    await(() -> log(2).contains("index=2 port=5002"), "worker 2 wrote its log");
    await(() -> log(1).contains("index=1 port=5001"), "worker 1 wrote its log");
    List<WorkerStatus> statuses = supervisor.statuses();
    assertEquals(List.of("job.1", "job.2"), statuses.stream().map(WorkerStatus::name).toList());
    for (WorkerStatus s : statuses) {
      assertEquals(WorkerStatus.State.RUNNING, s.state());
      long pid = s.pid().orElseThrow();
      assertEquals(pid + "\n", Files.readString(pidFile(Integer.parseInt(s.name().substring(4)))));
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    supervisor.stop(Duration.ofSeconds(5));

    for (WorkerStatus s : statuses) {
      assertFalse(ProcessHandle.of(s.pid().orElseThrow()).map(ProcessHandle::isAlive).orElse(false), s.name() + " stopped");
    }
    assertFalse(Files.exists(pidFile(1)), "pid files removed on stop");
    assertTrue(supervisor.statuses().stream().allMatch(s -> s.state() == WorkerStatus.State.STOPPED));
  }

  @Test
  void aWorkerThatDies_isStartedAgain() throws Exception {
    supervisor = new Supervisor(List.of(worker(1, "echo started; sleep 0.2; exit 3")), QUICK, Clock.systemUTC());

    supervisor.start();

    await(() -> supervisor.statuses().get(0).restarts() >= 2, "restarted twice");
    await(() -> log(1).lines().filter("started"::equals).count() >= 3, "three starts in the log");
    assertTrue(log(1).contains("job.1 exited with 3"), log(1));
  }

  @Test
  void aWorkerThatDiesInALoop_isMarkedFailed_andLeftAlone() throws Exception {
    RestartPolicy threeInAMinute = new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 3, Duration.ofMinutes(1));
    supervisor = new Supervisor(List.of(worker(1, "echo started; exit 1")), threeInAMinute, Clock.systemUTC());

    supervisor.start();

    await(() -> supervisor.statuses().get(0).state() == WorkerStatus.State.FAILED, "marked failed");
    Thread.sleep(500);
    assertEquals(4, log(1).lines().filter("started"::equals).count(), "the first start and 3 restarts, then no more: " + log(1));
    assertEquals(3, supervisor.statuses().get(0).restarts());
    assertTrue(log(1).contains("job.1 failed: 3 restarts within 60s; not started again"), log(1));
    assertFalse(Files.exists(pidFile(1)));
  }

  @Test
  void aWorkerThatIgnoresSigterm_isKilledAfterTheTimeout_withWhatItStarted() throws Exception {
    supervisor = new Supervisor(List.of(worker(1, "trap '' TERM; sleep 1000 & echo child=$!; wait")), QUICK,
        Clock.systemUTC());
    supervisor.start();
    // a line of its own: the log's header line quotes the script, "child=$!" included
    await(() -> log(1).lines().anyMatch(l -> l.startsWith("child=")), "the worker started its child");
    long child = Long.parseLong(log(1).lines().filter(l -> l.startsWith("child=")).findFirst().orElseThrow().substring(6));
    long worker = supervisor.statuses().get(0).pid().orElseThrow();

    long start = System.nanoTime();
    supervisor.stop(Duration.ofSeconds(1));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "the worker is gone");
    // the orphaned child is reaped by init, not by us: give that a moment
    await(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the process it started is gone");
    assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "SIGTERM was given its time: " + took);
  }

  private WorkerSpec worker(int index, String script) {
    return new WorkerSpec("job", index, List.of("sh", "-c", script), tmp, Map.of("WORKER_INDEX", Integer.toString(index),
        "PORT", Integer.toString(5000 + index)), tmp.resolve("log/job." + index + ".log"), pidFile(index),
        RunAs.invokingUser("as the invoking user"));
  }

  private Path pidFile(int index) {
    return tmp.resolve("tmp/pids/job." + index + ".pid");
  }

  private String log(int index) {
    try {
      Path log = tmp.resolve("log/job." + index + ".log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(condition, Duration.ofSeconds(20), what);
  }

}
