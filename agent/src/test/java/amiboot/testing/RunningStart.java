package amiboot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code amiboot start} running in a box, its stdout read as it goes: what the start tests drive. */
public final class RunningStart implements AutoCloseable {
  private final Process process;
  private final Thread reader;
  private final StringBuffer output = new StringBuffer();

  private RunningStart(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "amiboot-start-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code amiboot start} with the box's config and waits until it says it is supervising. */
  public static RunningStart launch(Box box) throws InterruptedException {
    RunningStart started = new RunningStart(box.start("start", "--config", box.config.toString()));
    Await.until(() -> started.output().contains("\nsupervising (pid") || !started.process.isAlive(), Duration.ofSeconds(60),
        "amiboot start is supervising");
    if (!started.process.isAlive()) {
      throw new AssertionError("amiboot start ended early:\n" + started.output());
    }
    return started;
  }

  public Process process() {
    return process;
  }

  /** Everything it printed so far. */
  public String output() {
    return output.toString();
  }

  /** Waits for it to end, and for the rest of what it printed. */
  public boolean awaitExit(Duration limit) throws InterruptedException {
    boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    reader.join(5000);
    return ended;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.append(line).append('\n');
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
