package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Box;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (systemd's stop, {@code timeout} in rc.local) during a boot: one line on stderr naming
 * the step it interrupted, and the run recorded in state.json as interrupted.
 */
class SignalTest {
  @TempDir Path temp;
  private Box box;

  @BeforeEach
  void setUp() {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    // A health check that never passes: the boot waits in the health step for a minute.
    box.configText(box.smallPayrollConfig("type: git\nurl: " + GitRepos.url(repo) + "\n", "")
        .replace("expect: welcome, timeout: 60s", "expect: text the page never has, timeout: 60s"));
    box.instance("m1.small", "DB=10.126.17.1;ROLE=app");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  @Test
  @Timeout(120)
  void sigtermDuringTheHealthStep_saysSoInOneLine_andRecordsIt() throws Exception {
    Path stderr = temp.resolve("boot.err");
    Process boot = box.startWithStderrTo(stderr, "boot", "--config", box.config.toString());
    List<String> progress = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(boot.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && !line.startsWith("start "); line = out.readLine()) {
        progress.add(line);
      }
      Thread.sleep(1500); // well into the health step

      boot.destroy(); // SIGTERM
      assertTrue(boot.waitFor(20, TimeUnit.SECONDS), "amiboot ended on SIGTERM");
    }

    assertEquals(143, boot.exitValue(), "128 + SIGTERM, as a shell reports it");
    String error = Files.readString(stderr);
    assertEquals(1, error.lines().count(), error);
    String stateFile = box.stateDir.resolve("state.json").toString();
    assertTrue(error.matches("amiboot: boot interrupted by a signal during step health \\(\\d+\\.\\d\\ds into it\\);"
        + " recorded in " + stateFile.replace(".", "\\.") + "; run amiboot boot again\n"), error + progress);
    JsonNode state = new ObjectMapper().readTree(box.stateDir.resolve("state.json").toFile());
    assertEquals("interrupted", state.path("result").asText(), state.toPrettyString());
    assertEquals("health", state.path("interrupted_step").asText());
    assertTrue(state.path("error").asText().startsWith("boot interrupted by a signal during step health"), state.toPrettyString());
    JsonNode last = state.path("steps").get(state.path("steps").size() - 1);
    assertEquals("health", last.path("step").asText());
    assertEquals("failed", last.path("status").asText());
    assertEquals("interrupted by a signal", last.path("detail").asText());
    String status = box.run("status", "--config", box.config.toString()).stdout();
    assertTrue(status.contains("boot: interrupted at "), status);
    assertTrue(status.contains("the last boot was interrupted by a signal during step health"), status);
  }
}
