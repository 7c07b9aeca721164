package amiboot.packaging;

import static amiboot.packaging.Fixtures.alive;
import static amiboot.packaging.Fixtures.await;
import static amiboot.packaging.Fixtures.read;
import static amiboot.packaging.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.packaging.Fixtures.Run;
import amiboot.simulate.ImdsStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init.d/amiboot for real: start-stop-daemon runs "start" through the launcher, status and stop answer with LSB codes. */
class InitScriptIT {
  private static final Path JAR = Path.of(System.getProperty("amiboot.jar", "target/amiboot.jar")).toAbsolutePath();
  private static final Path SCRIPT = Path.of("..", "init.d", "amiboot").toAbsolutePath().normalize();
  private static final Path LAUNCHER = Path.of("bin", "amiboot").toAbsolutePath();

  @Test
  void start_status_stop_withLsbExitCodes(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("amiboot.log");
    Path pidFile = dir.resolve("amiboot.pid");
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      Map<String, String> env = box(dir, imds);
      env.put("AMIBOOT_LAUNCHER", LAUNCHER.toString());
      Path archive = dir.resolve("cache/amiboot.jsa");
      Files.createDirectories(archive.getParent());
      env.put("AMIBOOT_CDS", archive.toString());

      assertEquals(3, script(env, "status").exit(), "not running yet");
      Run start = script(env, "start");
      assertEquals(0, start.exit(), start.out());
      await(() -> read(log).contains("\nsupervising (pid"), log);
      Run status = script(env, "status");
      assertEquals(0, status.exit(), status.out() + read(log));
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      assertTrue(alive(pid));
      // the pid file names the JVM the launcher exec'd; it built the archive first and left it to
      // the boot and stop children (the resident supervisor runs without it)
      assertTrue(Files.size(archive) > 0, "the launcher built the class-data archive");
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
      assertFalse(cmdline.contains("SharedArchiveFile"), cmdline);
      List<String> environ = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"));
      assertTrue(environ.stream().anyMatch(v -> v.startsWith("AMIBOOT_CHILD_JAVA_OPTS=-XX:SharedArchiveFile=" + archive + " ")),
          "the children's flags: " + environ.stream().filter(v -> v.startsWith("AMIBOOT")).toList());
      long worker = Long.parseLong(Files.readString(dir.resolve("app/shared/tmp/pids/worker.1.pid")).strip());

      Run stop = script(env, "stop");

      assertEquals(0, stop.exit(), stop.out() + read(log));
      assertFalse(alive(pid), "amiboot stopped");
      await(() -> !alive(worker), log);
      assertTrue(read(log).contains("stop ok in"), read(log));
      assertEquals(3, script(env, "status").exit(), "not running after stop");
      assertEquals(0, script(env, "stop").exit(), "stopping a stopped service is fine (LSB)");
      assertEquals(2, script(env, "bogus").exit(), "an unknown action is a usage error");
    }
  }

  @Test
  void withoutTheLauncher_javaRunsTheJar(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("amiboot.log");
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      Map<String, String> env = box(dir, imds);
      env.put("AMIBOOT_LAUNCHER", dir.resolve("no-such-launcher").toString()); // the jar installed by hand

      Run start = script(env, "start");
      assertEquals(0, start.exit(), start.out());
      await(() -> read(log).contains("\nsupervising (pid"), log);
      long pid = Long.parseLong(Files.readString(dir.resolve("amiboot.pid")).strip());
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
      assertTrue(cmdline.contains("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx128m -Xmn4m -jar " + JAR + " start"),
          cmdline);

      assertEquals(0, script(env, "stop").exit(), read(log));
      assertFalse(alive(pid), "amiboot stopped");
    }
  }

  /** A box under {@code dir} with a supervised role of two workers; the init script's settings for it. */
  private static Map<String, String> box(Path dir, ImdsStandIn imds) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/start-stop-daemon")) || Files.isExecutable(Path.of("/sbin/start-stop-daemon")),
        "start-stop-daemon (Debian's dpkg) is needed");
    Path config = Fixtures.supervisedBox(dir, 2);
    return new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(),
        "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "AMIBOOT_JAR", JAR.toString(),
        "AMIBOOT_CONFIG", config.toString(), "PIDFILE", dir.resolve("amiboot.pid").toString(),
        "AMIBOOT_LOG", dir.resolve("amiboot.log").toString(), "STOP_TIMEOUT", "30"));
  }

  private static Run script(Map<String, String> env, String action) throws Exception {
    return run(env, List.of("sh", SCRIPT.toString(), action));
  }

}
