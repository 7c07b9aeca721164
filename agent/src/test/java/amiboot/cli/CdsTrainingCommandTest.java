package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * amiboot cds-training, the run the launcher archives the classes of: a whole boot and stop, so
 * that the archive holds what a real boot loads. If a step stopped running here, the archive would
 * quietly lose its classes and the start its speed-up: so every step must run, and succeed.
 */
class CdsTrainingCommandTest {
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

  @Test
  void rehearsesEveryStepOfABootAndAStop_andLeavesNothingBehind() throws Exception {
    List<Path> before = rehearsalDirs();

    String text = runOk("cds-training");

    for (String step : List.of("metadata", "config", "hosts", "deploy", "switch", "start", "health", "register",
        "deregister", "drain", "stop", "record")) {
      assertTrue(text.lines().anyMatch(l -> l.matches(step + " +ok .*")), step + " ran: " + text);
    }
    assertTrue(text.endsWith("cds-training ok\n"), text);
    assertEquals(before, rehearsalDirs(), "its temp directory is gone");
  }

  @Test
  void light_plansAFreshAndABootedBox_andRunsTheOtherReaders_andLeavesNothingBehind() throws Exception {
    List<Path> before = rehearsalDirs();
    String endpointProperty = System.getProperty("aws.ec2MetadataServiceEndpoint");

    String text = runOk("cds-training", "--light");

    // two plans, each reaching the metadata service and the repository
    assertEquals(2, text.lines().filter(l -> l.matches("metadata +ok .*")).count(), text);
    assertEquals(2, text.lines().filter(l -> l.matches("config +ok .*, repository at [0-9a-f]{40}")).count(), text);
    assertTrue(text.lines().noneMatch(l -> l.matches("(hosts|deploy|start|register) .*")), "nothing but plans: " + text);
    // validate and releases must succeed, or the build stops (CdsTrainingCommand.expectOk)
    assertTrue(text.endsWith("cds-training ok\n"), text);
    assertEquals(before, rehearsalDirs(), "its temp directory is gone");
    assertEquals(endpointProperty, System.getProperty("aws.ec2MetadataServiceEndpoint"),
        "the metadata endpoint it set for its plans is put back");
  }

  @Test
  void isHiddenFromTheCommandList() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    assertTrue(!out.toString(StandardCharsets.UTF_8).contains("cds-training"), out.toString(StandardCharsets.UTF_8));
  }

  /** What the command printed on stdout; fails with both streams unless it exited 0. */
  private static String runOk(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text + err.toString(StandardCharsets.UTF_8));
    return text;
  }

  private static List<Path> rehearsalDirs() throws IOException {
    try (var files = Files.list(TMP)) {
      return files.filter(p -> p.getFileName().toString().startsWith("amiboot-cds-training-")).sorted().toList();
    }
  }
}
