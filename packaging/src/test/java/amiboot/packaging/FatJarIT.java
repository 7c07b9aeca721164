package amiboot.packaging;

import static amiboot.packaging.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.packaging.Fixtures.Run;
import amiboot.simulate.ImdsStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: java -jar amiboot.jar. Catches what only shading breaks
 * (signed jars, service files for the SDK's HTTP client, multi-release classes, the main class).
 */
class FatJarIT {
  private static final Path JAR = Path.of(System.getProperty("amiboot.jar", "target/amiboot.jar"));

  private static Run java(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return run(env, command);
  }

  @Test
  void version_andHelp() throws Exception {
    // answered before the command line is built (main's shortcut); the same line as picocli's
    String expected = "amiboot " + System.getProperty("amiboot.version") + " (Java " + Runtime.version() + ")\n";
    for (String flag : List.of("--version", "-V")) {
      Run version = java(Map.of(), flag);
      assertEquals(0, version.exit(), version.out());
      assertEquals(expected, version.out(), flag);
    }
    Run help = java(Map.of(), "boot", "--help");
    assertEquals(0, help.exit(), help.out());
    assertTrue(help.out().contains("Usage: amiboot boot"), help.out());
  }

  @Test
  void withoutConfigOption_theConfigIsAmibootConfig_asTheServiceRunsWith(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("service.yml");
    Files.writeString(config, Fixtures.boxConfig(dir, Fixtures.oneCommitRepo(dir)) + "roles:\n  app:\n    start: [/bin/true]\n");
    Map<String, String> env = Map.of("AMIBOOT_CONFIG", config.toString());

    Run status = java(env, "status");
    Run help = java(env, "status", "--help");

    assertEquals(3, status.exit(), "never booted: " + status.out());
    assertTrue(status.out().contains(dir.resolve("state").resolve("state.json").toString()), status.out());
    assertTrue(help.out().replaceAll("\\s+", " ").contains("(default: " + config + "; AMIBOOT_CONFIG sets it)"), help.out());
  }

  @Test
  void plan_againstAMetadataStandIn_readsMetadataConfigAndRepository(@TempDir Path dir) throws Exception {
    Path repo = Fixtures.oneCommitRepo(dir);
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, Fixtures.boxConfig(dir, repo)
        + "hosts: { dbhost: \"${DB}\" }\nrole_from: ROLE\n"
        + "roles:\n  job:\n    workers: { per_ecu: 2, default: 2 }\n    start: [\"${current}/run\", \"${workers}\"]\n"
        + "  app:\n    load_balancer: { classic: [web] }\n");
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.large", "DB=10.1.2.3;ROLE=job"))) {
      Run plan = java(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString()),
          "plan", "--config", config.toString());

      assertEquals(0, plan.exit(), plan.out());
      assertTrue(plan.out().contains("+ 10.1.2.3 dbhost"), plan.out());
      assertTrue(plan.out().contains("repository now at "), plan.out());
      assertTrue(plan.out().contains(dir.resolve("app/current") + "/run 8"), plan.out());
      assertTrue(!plan.out().contains("SLF4J"), "no logging-binding noise: " + plan.out());
      assertTrue(Files.notExists(dir.resolve("app")), "plan changed nothing");
    }
  }
}
