package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.simulate.ImdsStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: java -jar amiboot.jar. Catches what only shading breaks
 * (signed jars, service files for the SDK's HTTP client, multi-release classes, the main class).
 */
class FatJarIT {
  private static final Path JAR = Path.of(System.getProperty("amiboot.jar", "target/amiboot.jar"));

  record Run(int exit, String out) {}

  private static Run java(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out-" + System.nanoTime());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "amiboot " + String.join(" ", args) + " finished");
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void version_andHelp(@TempDir Path dir) throws Exception {
    Run version = java(dir, Map.of(), "--version");
    assertEquals(0, version.exit(), version.out());
    assertTrue(version.out().startsWith("amiboot 0."), version.out());
    Run help = java(dir, Map.of(), "boot", "--help");
    assertEquals(0, help.exit(), help.out());
    assertTrue(help.out().contains("Usage: amiboot boot"), help.out());
  }

  @Test
  void plan_againstAMetadataStandIn_readsMetadataConfigAndRepository(@TempDir Path dir) throws Exception {
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
        + "hosts: { dbhost: \"${DB}\" }\nrole_from: ROLE\n"
        + "roles:\n  job:\n    workers: { per_ecu: 2, default: 2 }\n    start: [\"${current}/run\", \"${workers}\"]\n"
        + "  app:\n    load_balancer: { classic: [web] }\n");
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.large", "DB=10.1.2.3;ROLE=job"))) {
      Run plan = java(dir, Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString()),
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
