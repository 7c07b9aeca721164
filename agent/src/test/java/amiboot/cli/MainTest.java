package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The command line in-process: help, version, usage errors and their exit codes. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot", "plan", "status"})
  void everyCommand_hasHelp(String command) {
    assertEquals(0, run(command, "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: amiboot " + command), out.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--config"));
  }

  @Test
  void topLevelHelp_listsCommandsAndExitCodes() {
    assertEquals(0, run("--help"));
    String text = out.toString(StandardCharsets.UTF_8);
    for (String s : new String[] {"boot", "plan", "status", "65 bad config", "75 another amiboot"}) {
      assertTrue(text.contains(s), s + " in " + text);
    }
  }

  @Test
  void version_printsTheBuildVersion() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).matches("amiboot \\d+\\.\\d+\\.\\d+.*\\s*"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noCommand_isAUsageError64() {
    assertEquals(64, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing command"));
  }

  @Test
  void unknownOption_isAUsageError64() {
    assertEquals(64, run("boot", "--no-such-option"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option"));
  }

  @Test
  void badMetadataTimeout_is65_namingTheOption(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository: { type: git, url: file:///x }\nroles: { app: {} }\n");

    assertEquals(65, run("plan", "--config", config.toString(), "--metadata-timeout", "soon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--metadata-timeout: 'soon' is not a duration"), err.toString(StandardCharsets.UTF_8));
  }
}
