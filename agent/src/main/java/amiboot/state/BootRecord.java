package amiboot.state;

import amiboot.pipeline.StepResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Fills the state document of one run. Facts only: never a password or key (none is ever in a message). */
public final class BootRecord {
  private final ObjectNode root;

  public BootRecord(ObjectNode root, String command, Instant startedAt) {
    this.root = root;
    root.put("version", 1);
    root.put("command", command);
    root.put("started_at", startedAt.toString());
    root.put("pid", ProcessHandle.current().pid());
  }

  public BootRecord put(String key, String value) {
    root.put(key, value);
    return this;
  }

  public BootRecord put(String key, int value) {
    root.put(key, value);
    return this;
  }

  public BootRecord put(String key, boolean value) {
    root.put(key, value);
    return this;
  }

  public ObjectNode object(String key) {
    return root.putObject(key);
  }

  /** A run a signal ended during {@code step} (the last of {@code steps}). */
  public ObjectNode finishInterrupted(Instant finishedAt, Duration took, List<StepResult> steps, String error, String step) {
    finish(finishedAt, took, steps, error);
    root.put("result", "interrupted");
    root.put("interrupted_step", step);
    return root;
  }

  public ObjectNode finish(Instant finishedAt, Duration took, List<StepResult> steps, String error) {
    root.put("finished_at", finishedAt.toString());
    root.put("duration_ms", took.toMillis());
    root.put("result", error != null ? "failed" : root.has("degraded") ? "degraded" : "ok");
    if (error != null) {
      root.put("error", error);
    }
    ArrayNode list = root.putArray("steps");
    for (StepResult s : steps) {
      ObjectNode step = list.addObject();
      step.put("step", s.step().label());
      step.put("status", s.status().label());
      step.put("duration_ms", s.duration().toMillis());
      step.put("detail", s.detail());
    }
    return root;
  }
}
