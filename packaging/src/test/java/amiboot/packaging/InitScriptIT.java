package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.simulate.ImdsStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init.d/amiboot for real: start-stop-daemon runs the jar's "start", status and stop answer with LSB codes. */
class InitScriptIT {
  private static final Path JAR = Path.of(System.getProperty("amiboot.jar", "target/amiboot.jar")).toAbsolutePath();
  private static final Path SCRIPT = Path.of("..", "init.d", "amiboot").toAbsolutePath().normalize();

  record Run(int exit, String out) {}

  @Test
  void start_status_stop_withLsbExitCodes(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/start-stop-daemon")) || Files.isExecutable(Path.of("/sbin/start-stop-daemon")),
        "start-stop-daemon (Debian's dpkg) is needed");
    Path repo = dir.resolve("repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.writeString(repo.resolve("README"), "app\n");
      git.add().addFilepattern("README").call();
      git.commit().setMessage("one").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
    }
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: " + dir.resolve("app") + "\n"
        + "repository: { type: git, url: " + repo.toUri() + " }\n"
        + "hosts_file: " + dir.resolve("hosts") + "\nstate_dir: " + dir.resolve("state") + "\n"
        + "roles:\n  worker:\n    workers: { count: 2 }\n    run: [sh, -c, \"echo worker $WORKER_INDEX; exec sleep 1000\"]\n"
        + "    stop_timeout: 2s\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    Path log = dir.resolve("amiboot.log");
    Path pidFile = dir.resolve("amiboot.pid");
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      Map<String, String> env = new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(),
          "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "AMIBOOT_JAR", JAR.toString(),
          "AMIBOOT_CONFIG", config.toString(), "PIDFILE", pidFile.toString(), "AMIBOOT_LOG", log.toString(),
          "STOP_TIMEOUT", "30"));

      assertEquals(3, script(dir, env, "status").exit(), "not running yet");
      Run start = script(dir, env, "start");
      assertEquals(0, start.exit(), start.out());
      await(() -> read(log).contains("\nsupervising (pid"), log);
      Run status = script(dir, env, "status");
      assertEquals(0, status.exit(), status.out() + read(log));
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      long worker = Long.parseLong(Files.readString(dir.resolve("app/shared/tmp/pids/worker.1.pid")).strip());

      Run stop = script(dir, env, "stop");

      assertEquals(0, stop.exit(), stop.out() + read(log));
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "amiboot stopped");
      await(() -> !ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), log);
      assertTrue(read(log).contains("stop ok in"), read(log));
      assertEquals(3, script(dir, env, "status").exit(), "not running after stop");
      assertEquals(0, script(dir, env, "stop").exit(), "stopping a stopped service is fine (LSB)");
      assertEquals(2, script(dir, env, "bogus").exit(), "an unknown action is a usage error");
    }
  }

  private static Run script(Path dir, Map<String, String> env, String action) throws Exception {
    Path out = dir.resolve("script-" + action + "-" + System.nanoTime());
    ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString(), action).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "init script " + action + " finished");
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void await(BooleanSupplier condition, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 90 s; log:\n" + read(log));
      }
      Thread.sleep(100);
    }
  }
}
