package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;

/** What the packaging tests share: running a command, a one-commit repository, a box in a temp dir. */
final class Fixtures {
  private Fixtures() {}

  /** How a command ended: its exit code and its stdout and stderr together. */
  record Run(int exit, String out) {}

  /** Runs a command with standard input from /dev/null: anything that asks a question fails. */
  static Run run(Map<String, String> env, List<String> command) throws Exception {
    File out = File.createTempFile("amiboot-packaging-", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(new File("/dev/null")).redirectOutput(out);
      builder.environment().putAll(env);
      Process p = builder.start();
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command) + " finished");
      return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
    }
  }

  /** A git repository at {@code dir/repo} with one commit (a README). */
  static Path oneCommitRepo(Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call()) {
      Files.writeString(repo.resolve("README"), "app\n");
      git.add().addFilepattern("README").call();
      git.commit().setMessage("one").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
    }
    return repo;
  }

  /** The start of a config whose box lives in {@code dir}: deploy_to, the repository, hosts_file and state_dir. */
  static String boxConfig(Path dir, Path repo) {
    return "deploy_to: " + dir.resolve("app") + "\n"
        + "repository: { type: git, url: " + repo.toUri() + " }\n"
        + "hosts_file: " + dir.resolve("hosts") + "\nstate_dir: " + dir.resolve("state") + "\n";
  }

  /**
   * A box in {@code dir} whose one role, {@code worker}, runs {@code workers} supervised copies
   * that sleep: the repository, the config (its path returned) and the hosts file.
   */
  static Path supervisedBox(Path dir, int workers) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, boxConfig(dir, oneCommitRepo(dir))
        + "roles:\n  worker:\n    workers: { count: " + workers + " }\n"
        + "    run: [sh, -c, \"echo worker $WORKER_INDEX; exec sleep 1000\"]\n    stop_timeout: 2s\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    return config;
  }

  /** The JAVA_OPTS default a launcher or init script sets ({@code : "${JAVA_OPTS:=...}"}). */
  static String javaOptsDefault(Path script) throws IOException {
    Matcher m = Pattern.compile("^: \"\\$\\{JAVA_OPTS:=(.*)}\"$", Pattern.MULTILINE).matcher(Files.readString(script));
    assertTrue(m.find(), script + " sets a JAVA_OPTS default");
    return m.group(1);
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for {@code condition}, showing amiboot's log when it never comes. */
  static void await(BooleanSupplier condition, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 90 s; log:\n" + read(log));
      }
      Thread.sleep(100);
    }
  }
}
