package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.pipeline.BootException;
import amiboot.pipeline.BootLock;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.DiskFull;
import amiboot.pipeline.Pipeline;
import amiboot.pipeline.Progress;
import amiboot.pipeline.Sleeper;
import amiboot.pipeline.StepName;
import amiboot.pipeline.StepOutcome;
import amiboot.pipeline.StepResult;
import amiboot.pipeline.StepStatus;
import amiboot.state.BootRecord;
import amiboot.state.StateStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One command that changes the box (boot, deploy, rollback): under the lock, and recorded in state.json however it ends. */
final class RecordedRun {
  @FunctionalInterface
  interface Body {
    BootReport run(Pipeline pipeline, BootRecord record, Instant started) throws BootException;
  }

  private final AgentConfig config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Progress progress;
  private final Duration lockWait;
  private final PrintStream err;

  /** {@code err}: where a signal's one line goes (the process's own stderr: a signal ends the process). */
  RecordedRun(AgentConfig config, Clock clock, Sleeper sleeper, Progress progress, Duration lockWait, PrintStream err) {
    this.config = config;
    this.clock = clock;
    this.sleeper = sleeper;
    this.progress = progress;
    this.lockWait = lockWait;
    this.err = err;
  }

  /** What a run that did its work does when state_dir has no room left for its record. */
  enum FullStateDir {
    /** Fails (exit 73): the operator who ran it by hand frees the space. */
    FAILS,
    /** Ends degraded, said on stderr (boot): nobody is there to run it again, and the role is in service. */
    DEGRADES
  }

  BootReport run(String command, Body body) throws BootException {
    return run(command, FullStateDir.FAILS, body);
  }

  BootReport run(String command, FullStateDir fullStateDir, Body body) throws BootException {
    Pipeline pipeline = new Pipeline(progress);
    Instant started = clock.instant();
    BootLock lock = pipeline.run(StepName.LOCK, () -> StepOutcome.ok(BootLock.acquire(config.stateDir(), lockWait, clock, sleeper),
        config.stateDir().resolve("amiboot.lock") + " (pid " + ProcessHandle.current().pid() + ")"));
    StateStore state = new StateStore(config.stateDir());
    BootRecord record = new BootRecord(state.newDocument(), command, started);
    try (lock; InterruptedRun signal = InterruptedRun.register(command, pipeline,
        (running, error) -> recordInterrupted(pipeline, state, record, started, running, error), err)) {
      BootReport report;
      try {
        report = body.run(pipeline, record, started);
      } catch (BootException | RuntimeException e) {
        if (!signal.claim()) {
          signal.awaitExit();
        }
        recordQuietly(pipeline, state, record, started, e.getMessage());
        throw e;
      }
      if (!signal.claim()) {
        signal.awaitExit();
      }
      report.degraded().ifPresent(reason -> record.put("degraded", reason));
      try {
        pipeline.run(StepName.RECORD, () -> {
          state.write(finish(pipeline, record, started, null));
          return StepOutcome.ok(null, state.file().toString());
        });
      } catch (CannotWriteException e) {
        if (fullStateDir == FullStateDir.FAILS || !DiskFull.causedBy(e)) {
          throw e;
        }
        return report.unrecorded("disk full at step record: " + e.getMessage() + "; free space in " + config.stateDir()
            + " (status shows an earlier run until a run is recorded)");
      }
      return report;
    }
  }

  /** The run as far as it got, the step a signal interrupted last, failed. */
  private Path recordInterrupted(Pipeline pipeline, StateStore state, BootRecord record, Instant started,
      Pipeline.Running running, String error) throws BootException {
    List<StepResult> steps = new ArrayList<>(pipeline.results());
    String step = running == null ? "none" : running.step().label();
    if (running != null) {
      steps.add(new StepResult(running.step(), StepStatus.FAILED, running.elapsed(), "interrupted by a signal"));
    }
    Instant now = clock.instant();
    state.write(record.finishInterrupted(now, Duration.between(started, now), steps, error, step));
    return state.file();
  }

  private com.fasterxml.jackson.databind.node.ObjectNode finish(Pipeline pipeline, BootRecord record, Instant started,
      String error) {
    Instant now = clock.instant();
    return record.finish(now, Duration.between(started, now), pipeline.results(), error);
  }

  /** On a failed run the failure being reported matters more than a failure to record it. */
  private void recordQuietly(Pipeline pipeline, StateStore state, BootRecord record, Instant started, String error) {
    try {
      pipeline.run(StepName.RECORD, () -> {
        state.write(finish(pipeline, record, started, error));
        return StepOutcome.ok(null, state.file().toString());
      });
    } catch (BootException | RuntimeException ignored) {
      // the record step reported its own failure on the console
    }
  }
}
