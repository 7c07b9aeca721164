package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.packaging.Fixtures.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, ./demo.sh, against the jar this build made: each of its steps succeeds. */
class DemoIT {
  private static final Path DEMO = Path.of("..", "demo.sh").toAbsolutePath().normalize();

  @Test
  void appRole_validatesSimulatesTheBoot_thenDeploysRollsBackAndStops(@TempDir Path tmp) throws Exception {
    Run demo = demo(tmp, Map.of());

    assertEquals(0, demo.exit(), demo.out());
    for (String expected : List.of("ok: config valid for role app (m1.small)",
        "simulate: m1.small, user-data 'DB=10.126.17.1;ROLE=app'", "\nsimulate ok in ",
        "hosts file:  10.126.17.1 dbhost", "the app:     <h1>Welcome to SmallPayroll</h1>",
        "\nplan for i-", "\ndeploy ok in ", "\nrollback ok in ", "\nstop ok in ")) {
      assertTrue(demo.out().contains(expected), expected + " in:\n" + demo.out());
    }
  }

  @Test
  void jobRole_onAnM1Large_runsEightWorkers(@TempDir Path tmp) throws Exception {
    Run demo = demo(tmp, Map.of("ROLE", "job", "TYPE", "m1.large"));

    assertEquals(0, demo.exit(), demo.out());
    for (String expected : List.of("ok: config valid for role job (m1.large: 8 workers)", "\nsimulate ok in ",
        "workers:     8 pid files", "\nstop ok in ")) {
      assertTrue(demo.out().contains(expected), expected + " in:\n" + demo.out());
    }
  }

  private static Run demo(Path tmp, Map<String, String> settings) throws Exception {
    Assumptions.assumeTrue(Fixtures.run(Map.of(), List.of("git", "--version")).exit() == 0, "the demo needs git");
    Map<String, String> env = new java.util.HashMap<>(settings);
    env.put("TMPDIR", tmp.toString());
    env.put("PORT", Integer.toString(freePort()));
    return Fixtures.run(env, List.of("bash", DEMO.toString()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
