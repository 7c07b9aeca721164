package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The command line in-process: help, version, usage errors and their exit codes. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** stderr must be exactly one line (design.md: every non-zero exit prints one line); returns it. */
  private String onlyErrLine() {
    String text = err.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertEquals(1, lines.size(), () -> "expected one line on stderr, got: " + text);
    return lines.get(0);
  }

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot", "plan", "validate", "deploy", "rollback", "releases", "start", "stop", "status", "simulate"})
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
  void topLevelHelp_eachCommandSummaryIsOneWholeSentence() {
    assertEquals(0, run("--help"));
    String text = out();
    List<String> commands = text.lines().dropWhile(l -> !l.equals("Commands:")).skip(1).toList();
    assertEquals(10, commands.size(), text);
    for (String line : commands) {
      // a wrapped summary would put its tail on a line of its own, which this pattern refuses
      assertTrue(line.matches("  (boot|plan|validate|deploy|rollback|releases|start|stop|status|simulate) +\\S.*\\."), () -> "summary is not one sentence ending in '.': " + line);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot", "plan", "validate", "deploy", "rollback", "releases", "start", "stop", "status", "simulate"})
  void everyCommand_descriptionLinesFitIn78Columns(String command) {
    CommandLine cli = new CommandLine(switch (command) {
      case "boot" -> new BootCommand(null);
      case "plan" -> new PlanCommand(null);
      case "validate" -> new ValidateCommand(null);
      case "deploy" -> new DeployCommand(null);
      case "rollback" -> new RollbackCommand(null);
      case "releases" -> new ReleasesCommand(null);
      case "start" -> new StartCommand(null);
      case "stop" -> new StopCommand(null);
      case "simulate" -> new SimulateCommand(null);
      default -> new StatusCommand(null);
    });
    String[] description = cli.getCommandSpec().usageMessage().description();
    String usage = cli.getUsageMessage();
    assertFalse(usage.contains("null"), "a ${...} picocli could not fill in: " + usage);
    assertTrue(description.length > 1, "a summary line, then the details");
    for (String line : description) {
      assertTrue(line.length() <= 78, () -> line.length() + " columns: " + line);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot", "plan"})
  void metadataTimeout_isOfferedByTheCommandsThatAskTheMetadataService(String command) {
    assertEquals(0, run(command, "--help"));
    assertTrue(out().contains("--metadata-timeout=DURATION"), out());
  }

  @Test
  void status_doesNotOfferMetadataTimeout() {
    assertEquals(0, run("status", "--help"));
    assertFalse(out().contains("--metadata-timeout"), out());
    assertTrue(out().contains("--stacktrace"), out());

    out.reset();
    assertEquals(64, run("status", "--metadata-timeout", "30s"));
    assertTrue(onlyErrLine().startsWith("amiboot: Unknown options: '--metadata-timeout'"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void version_printsTheBuildVersion() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).matches("amiboot \\d+\\.\\d+\\.\\d+.*\\s*"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noCommand_isAUsageError64_oneLine() {
    assertEquals(64, run());
    assertEquals("amiboot: missing command: boot, plan, validate, deploy, rollback, releases, start, stop, status or simulate (see amiboot --help)", onlyErrLine());
    assertEquals("", out());
  }

  @Test
  void unknownOption_isAUsageError64_oneLineNamingTheHelp() {
    assertEquals(64, run("boot", "--bogus"));
    assertEquals("amiboot: Unknown option: '--bogus' (see amiboot boot --help)", onlyErrLine());
    assertEquals("", out());
  }

  @Test
  void optionWithoutItsValue_isAUsageError64_oneLine() {
    assertEquals(64, run("plan", "--config"));
    assertEquals("amiboot: Missing required parameter for option '--config' (FILE) (see amiboot plan --help)",
        onlyErrLine());
  }

  @Test
  void misspeltOption_oneLineWithTheSuggestion() {
    assertEquals(64, run("boot", "--confg", "/x.yml"));
    String line = onlyErrLine();
    assertTrue(line.startsWith("amiboot: Unknown options: '--confg'"), line);
    assertTrue(line.contains("(did you mean --config?)"), line);
    assertTrue(line.endsWith("(see amiboot boot --help)"), line);
  }

  @Test
  void unknownCommand_isAUsageError64_oneLine() {
    assertEquals(64, run("bot"));
    assertEquals("amiboot: unknown command 'bot': use boot, plan, validate, deploy, rollback, releases, start, stop, status or simulate (did you mean boot?) (see amiboot --help)",
        onlyErrLine());
  }

  @Test
  void badOptionValue_isAUsageError64_oneLine() {
    assertEquals(64, run("status", "--json=maybe"));
    String line = onlyErrLine();
    assertTrue(line.startsWith("amiboot: Invalid value for option '--json'"), line);
    assertTrue(line.endsWith("(see amiboot status --help)"), line);
  }

  /** The config problems fixed in ConfigReader, as the operator sees them: exit 65, one line, key and line. */
  @ParameterizedTest(name = "{index}: {1}")
  @CsvSource(delimiter = '|', value = {
      "roles: { job: { workers: { per_ecu: 1e12 } } }                 | line 3 roles.job.workers.per_ecu: must be more than 0 and at most 1000",
      "roles: { job: { workers: { per_ecu: 1e400000000 } } }          | line 3 roles.job.workers.per_ecu: must be more than 0 and at most 1000",
      "roles: { job: { workers: { count: 20000 } } }                  | line 3 roles.job.workers.count: must be between 1 and 10000",
      "keep_releases: 99999999999\\nroles: { app: {} }               | line 3 keep_releases: must be between 1 and 1000",
      "roles: { app: {} }\\n---\\nkeep_releases: 3                 | must be one YAML document, but a second one starts at line 5",
  })
  void badConfig_is65_oneLineNamingKeyAndLine(String tail, String expected, @TempDir Path dir) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository: { type: git, url: file:///x }\n" + tail.replace("\\n", "\n") + "\n");

    assertEquals(65, run("plan", "--config", config.toString()));

    String line = onlyErrLine();
    assertTrue(line.startsWith("amiboot: plan failed: config " + config), line);
    assertTrue(line.contains(expected), line);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @ValueSource(strings = {"http://bob:pa/ss@host/x", "not a url at all"})
  void badRepositoryUrl_is65_oneLineWithoutEchoingIt(String url, @TempDir Path dir) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository:\n  type: git\n  url: " + url + "\nroles: { app: {} }\n");

    assertEquals(65, run("plan", "--config", config.toString()));

    String line = onlyErrLine();
    assertTrue(line.contains("line 4 repository.url: "), line);
    assertFalse(line.contains(url), line);
  }

  @Test
  void passwordFileWithoutUsername_is65_oneLine(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository:\n  type: git\n  url: file:///x\n"
        + "  password_file: /etc/amiboot/scm-password\nroles: { app: {} }\n");

    assertEquals(65, run("plan", "--config", config.toString()));

    assertTrue(onlyErrLine().contains("line 5 repository.password_file: needs username"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badMetadataTimeout_is65_namingTheOption(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository: { type: git, url: file:///x }\nroles: { app: {} }\n");

    assertEquals(65, run("plan", "--config", config.toString(), "--metadata-timeout", "soon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--metadata-timeout: 'soon' is not a duration"), err.toString(StandardCharsets.UTF_8));
  }
}
