package amiboot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import amiboot.pipeline.LockHeldException;
import amiboot.process.LocalWorkers;
import amiboot.process.RestartPolicy;
import amiboot.process.RunAs;
import amiboot.process.WorkerSpec;
import amiboot.process.WorkerStatus;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket of amiboot start, over a real Unix domain socket with real workers. */
class ControlServerTest {
  private static final String USER = "amiboot-test";

  @TempDir Path dir;
  private final LocalWorkers workers = new LocalWorkers(Clock.systemUTC(), RestartPolicy.DEFAULT);

  @AfterEach
  void stopWorkers() throws InterruptedException {
    workers.stopForGood(Duration.ofSeconds(2));
  }

  @Test
  void aClient_startsWorkersThroughIt_seesTheirStatus_andStopsThem() throws Exception {
    Path socket = ControlServer.socketIn(dir);
    try (ControlServer server = ControlServer.open(socket, workers, Instant.parse("2026-01-02T03:04:05Z"))) {
      ControlClient client = ControlClient.connect(socket).orElseThrow();
      assertEquals(ProcessHandle.current().pid(), client.peer().pid());

      client.start(List.of(spec(1), spec(2)));

      List<WorkerStatus> running = client.statuses();
      assertEquals(List.of("job.1", "job.2"), running.stream().map(WorkerStatus::name).toList());
      assertTrue(running.stream().allMatch(w -> w.state() == WorkerStatus.State.RUNNING && w.pid().isPresent()), running.toString());
      long pid = running.get(0).pid().getAsLong();
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertEquals(2, client.stop(Duration.ofSeconds(2)));
      assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the worker is gone");
      assertEquals(List.of(), client.statuses());
    }
    assertTrue(Files.notExists(socket), "closing removes the socket");
    assertEquals(Optional.empty(), ControlClient.connect(socket).map(ControlClient::peer));
  }

  @Test
  void aSecondServer_isRefused_withTheFirstOnesPid_75() throws Exception {
    Path socket = ControlServer.socketIn(dir);
    try (ControlServer first = ControlServer.open(socket, workers, Instant.now())) {
      LockHeldException e = assertThrows(LockHeldException.class, () -> ControlServer.open(socket, workers, Instant.now()));
      assertTrue(e.getMessage().startsWith("amiboot start is already running (pid " + ProcessHandle.current().pid() + ", "),
          e.getMessage());
      assertTrue(ControlClient.connect(socket).isPresent(), "the first one still answers");
    }
  }

  @Test
  void aSocketLeftByACrash_isReplaced_andNobodyAnsweringIsNotRunning() throws Exception {
    Path socket = ControlServer.socketIn(dir);
    ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    crashed.bind(UnixDomainSocketAddress.of(socket));
    crashed.close(); // the file stays, as after SIGKILL
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    assertEquals(Optional.empty(), ControlClient.connect(socket).map(ControlClient::peer), "refused: none runs");

    try (ControlServer server = ControlServer.open(socket, workers, Instant.now())) {
      assertTrue(ControlClient.connect(socket).isPresent());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }
  }

  @Test
  void anotherUser_isRefused_evenWhenTheSocketLetsThemConnect() throws Exception {
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root (CI runs as root)");
    assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\n" + USER + ":"), "needs the account " + USER);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path socket = ControlServer.socketIn(dir);
    Path probe = dir.resolve("Probe.java");
    Files.writeString(probe, """
        import java.net.*; import java.nio.*; import java.nio.channels.*; import java.nio.file.*;
        public class Probe { public static void main(String[] a) throws Exception {
          try (var c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(Path.of(a[0])));
            c.write(ByteBuffer.wrap("{\\"op\\":\\"start\\",\\"workers\\":[]}".getBytes())); c.shutdownOutput();
            System.out.print(new String(Channels.newInputStream(c).readAllBytes()));
          } } }
        """);
    try (ControlServer server = ControlServer.open(socket, workers, Instant.now())) {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-")); // as if the mode were lost
      String java = ProcessHandle.current().info().command().orElseThrow();
      Process p = new ProcessBuilder("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups", java, probe.toString(),
          socket.toString()).redirectErrorStream(true).start();
      String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertTrue(answer.contains("\"error\":\"not allowed\""), answer);
      assertTrue(ControlClient.connect(socket).isPresent(), "still serving its own user");
    }
  }

  private WorkerSpec spec(int index) {
    return new WorkerSpec("job", index, List.of("sleep", "1000"), dir, Map.of("PATH", "/usr/bin:/bin"),
        dir.resolve("log/job." + index + ".log"), dir.resolve("pids/job." + index + ".pid"), RunAs.invokingUser("test"));
  }
}
