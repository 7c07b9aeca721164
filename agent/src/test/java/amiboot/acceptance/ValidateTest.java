package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amiboot validate} in its own JVM on a box whose metadata service, repository and load
 * balancer endpoints all listen: it contacts none of them and writes nothing, valid config or not.
 */
class ValidateTest {
  @TempDir Path temp;
  private Box box;
  /** Where the repository and the ELB API "are": any connection to it would be a call. */
  private ServerSocket elsewhere;

  @BeforeEach
  void setUp() throws Exception {
    elsewhere = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    box = new Box(temp.resolve("box"));
    box.config("type: git\nurl: http://127.0.0.1:" + elsewhere.getLocalPort() + "/payroll.git\n");
    box.instance("m1.large", "DB=10.126.17.1;ROLE=job");
    box.loadBalancerEndpoint("http://127.0.0.1:" + elsewhere.getLocalPort());
  }

  @AfterEach
  void tearDown() throws Exception {
    box.close();
    elsewhere.close();
  }

  @Test
  void validate_contactsNothing_andWritesNothing() throws Exception {
    Map<String, String> before = box.snapshot();

    CliProcess.Result valid = box.run("validate", "--config", box.config.toString(), "--user-data", "DB=10.126.17.1;ROLE=app",
        "--instance-type", "m1.large").assertExit(0);
    CliProcess.Result withoutUserData = box.run("validate", "--config", box.config.toString()).assertExit(0);
    box.configText(box.smallPayrollConfig("type: git\nurl: http://127.0.0.1:" + elsewhere.getLocalPort() + "/payroll.git\n",
        "    helth: {}\n"));
    CliProcess.Result invalid = box.run("validate", "--config", box.config.toString(), "--user-data", "DB=1.2.3.4 evil;ROLE=app")
        .assertExit(65);

    assertTrue(valid.stdout().endsWith("ok: config valid for role app (m1.large)\n"), valid.toString());
    assertTrue(withoutUserData.stdout().contains(": skipped: hosts.dbhost: needs user-data DB\n"), withoutUserData.toString());
    assertTrue(invalid.stdout().contains(": hosts.dbhost: '1.2.3.4 evil' (from user-data DB) is not an IP address\n"), invalid.toString());
    assertTrue(invalid.stdout().contains(": roles.app.helth: unknown key (did you mean 'health'?)\n"), invalid.toString());
    // Nothing written: no state_dir (no lock, no state.json); the hosts file and deploy_to as they were.
    assertFalse(Files.exists(box.stateDir), "state_dir created");
    assertEquals(Box.HOSTS_BEFORE, box.hosts());
    Map<String, String> after = box.snapshot();
    before.remove("etc/amiboot/amiboot.yml"); // the test itself rewrote it between runs
    after.remove("etc/amiboot/amiboot.yml");
    assertEquals(before, after);
    // No network: the metadata service was never asked, the repository and ELB API never reached.
    assertEquals(0, box.imds().tokenRequests(), "metadata token requests");
    assertEquals(0, box.imds().requestsWithoutToken(), "metadata requests");
    elsewhere.setSoTimeout(200);
    assertThrows(SocketTimeoutException.class, elsewhere::accept, "a connection to the repository or ELB endpoint");
  }
}
