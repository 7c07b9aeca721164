package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.testing.Examples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code amiboot validate} in-process, on real config files: what an operator reads, and the exit code. */
class ValidateCommandTest {
  private static final Path REPO = Examples.root().getParent();
  private static final Path PACKAGED = REPO.resolve("packaging/amiboot.yml");

  /** Several problems of every kind, each on a line of its own (the line numbers are asserted). */
  private static final String BROKEN = """
      deploy_to: /srv/payroll
      repository:
        type: git
        url: https://git.example.com/payroll.git
        timeout: 30 seconds
      hosts:
        dbhost: ${DB}
      role_from: ROLE
      roles:
        app:
          start: [bin/server, start]
          run: [bin/server, --foreground]
          helth: { url: "http://127.0.0.1:3000/" }
        job:
          workers: { per_ecu: 2 }
          start: [script/delayed_job, -n, "${workers}", "${curent}/start", "${QUEUE}"]
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int validate(String... args) {
    String[] all = Stream.concat(Stream.of("validate"), Stream.of(args)).toArray(String[]::new);
    return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> outLines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** The output without the warning that packaging/amiboot.yml's user (payroll) is not on this box (when it is not). */
  private List<String> outLinesButUserWarning() {
    return outLines().stream().filter(l -> !l.startsWith(PACKAGED + ":6: warning: user: 'payroll'")).toList();
  }

  private String lastLine() {
    List<String> lines = outLines();
    return lines.get(lines.size() - 1);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("amiboot.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void brokenConfig_is65_listingEveryProblemWithItsLine_thenTheCount() throws Exception {
    Path file = config(BROKEN);

    assertEquals(65, validate("--config", file.toString(), "--user-data", "DB=10.126.17.1;ROLE=web", "--instance-type", "m1.large"));

    assertEquals(List.of(
        file + ":5: repository.timeout: '30 seconds' is not a duration (like 30s, 5m, 1h, 250ms)",
        file + ":8: user-data ROLE='web' is not a configured role (roles: app, job)",
        file + ":12: roles.app.run: is a foreground command amiboot supervises: give run, or start/stop commands that"
            + " daemonize, not both",
        file + ":13: roles.app.helth: unknown key (did you mean 'health'?)",
        file + ":16: roles.job.start[3]: ${curent} is not defined (did you mean ${current}? user-data has [DB, ROLE])",
        "5 problems"), outLines());
    // ${QUEUE} is for the job role's user-data, which this is not (it picks no role): not a problem here.
    assertEquals("amiboot: validate failed: 5 problems with " + file + " (listed above)\n", err());
  }

  @Test
  void userDataForARole_makesItsUndefinedVariablesProblems() throws Exception {
    Path file = config(BROKEN);

    assertEquals(65, validate("--config", file.toString(), "--user-data", "DB=10.126.17.1;ROLE=job", "--instance-type", "m1.large"));

    assertTrue(outLines().contains(file + ":16: roles.job.start[4]: ${QUEUE} is not defined (user-data has [DB, ROLE])"),
        out.toString());
    assertFalse(out.toString().contains("role_from"), out.toString());
    assertEquals("5 problems", lastLine());
  }

  @Test
  void withoutUserData_checksWhatDoesNotDependOnIt_andListsTheSkippedChecks() throws Exception {
    Path file = config(BROKEN);

    assertEquals(65, validate("--config", file.toString()));

    List<String> lines = outLines();
    // A typo of a built-in variable is a problem whatever the user-data.
    assertTrue(lines.contains(file + ":16: roles.job.start[3]: ${curent} is not defined (did you mean ${current}?"
        + " there is no user-data)"), out.toString());
    assertTrue(lines.contains(file + ":7: skipped: hosts.dbhost: needs user-data DB"), out.toString());
    assertTrue(lines.contains(file + ":8: skipped: role_from: the role comes from user-data ROLE (app|job);"
        + " every role was checked"), out.toString());
    assertTrue(lines.contains(file + ":15: skipped: roles.job.workers: the count is per_ecu x the instance type's size:"
        + " give --instance-type"), out.toString());
    assertTrue(lines.contains(file + ":16: skipped: roles.job.start[4]: needs user-data QUEUE"), out.toString());
    assertEquals("4 problems; 4 checks skipped (give --user-data and --instance-type)", lastLine());
  }

  @Test
  void packagedConfig_isValid_withoutUserData() {
    assertEquals(0, validate("--config", PACKAGED.toString()), out + err());

    assertEquals("ok: config valid for roles app, job; 4 checks skipped (give --user-data and --instance-type)", lastLine());
    assertTrue(outLines().contains(PACKAGED + ":21: skipped: hosts.dbhost: needs user-data DB"), out.toString());
    assertEquals("", err());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      DB=10.126.17.1;ROLE=job                      | m1.large   | ok: config valid for role job (m1.large: 8 workers)
      DB=10.126.17.1;ROLE=job                      | m1.small   | ok: config valid for role job (m1.small: 2 workers)
      DB=10.126.17.1;ROLE=job                      | c5.4xlarge | ok: config valid for role job (c5.4xlarge: 32 workers)
      DB=10.126.17.1;ROLE=app                      | m1.large   | ok: config valid for role app (m1.large)
      DB=10.126.17.1;ROLE=app;REVISION=v2.3.1      | m1.small   | ok: config valid for role app (m1.small)
      '#cloud-config<NL>packages: [git]<NL>amiboot: { DB: 10.126.17.1, ROLE: job }' | m1.xlarge | ok: config valid for role job (m1.xlarge: 16 workers)
      'DB: 10.126.17.1<NL>ROLE: job'               | t3.micro   | ok: config valid for role job (t3.micro: 4 workers)
      """)
  void packagedConfig_withUserDataAndInstanceType_resolvesTheRoleAndItsWorkers(String userData, String type, String summary) {
    assertEquals(0, validate("--config", PACKAGED.toString(), "--user-data", userData.replace("<NL>", "\n"),
        "--instance-type", type), out + err());

    assertEquals(summary, lastLine());
    assertFalse(out.toString().contains("skipped"), out.toString());
  }

  @Test
  void userDataFile_gzipCompressed_isReadAsABootReadsIt() throws Exception {
    Path userData = dir.resolve("user-data.gz");
    try (GZIPOutputStream gzip = new GZIPOutputStream(Files.newOutputStream(userData))) {
      gzip.write("#cloud-config\namiboot: { DB: 10.126.17.1, ROLE: job }\n".getBytes(StandardCharsets.UTF_8));
    }

    assertEquals(0, validate("--config", PACKAGED.toString(), "--user-data-file", userData.toString(), "--instance-type",
        "m1.large"), out + err());

    assertEquals("ok: config valid for role job (m1.large: 8 workers)", lastLine());
  }

  @Test
  void userDataAndUserDataFile_both_isAUsageError() {
    assertEquals(64, validate("--config", PACKAGED.toString(), "--user-data", "ROLE=app", "--user-data-file", "/dev/null"));
  }

  @Test
  void readmeConfigs_areValid() throws Exception {
    String readme = Files.readString(REPO.resolve("README.md"));
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> configs = new ArrayList<>();
    while (m.find()) {
      if (m.group(1).contains("roles:")) {
        configs.add(m.group(1));
      }
    }
    assertFalse(configs.isEmpty());
    for (String yaml : configs) {
      out.reset();
      Path file = config(yaml);
      assertEquals(0, validate("--config", file.toString(), "--user-data", "DB=10.126.17.1;ROLE=job", "--instance-type",
          "m1.large"), out + err());
      assertEquals("ok: config valid for role job (m1.large: 8 workers)", lastLine());
    }
  }

  /** User-data values are checked where the config uses them, each problem at the line of its key. */
  @Test
  void userDataValues_areCheckedWhereUsed() throws Exception {
    Path file = config("""
        deploy_to: /srv/app
        repository:
          type: git
          url: https://git.example.com/app.git
          revision_from: REVISION
        hosts:
          dbhost: ${DB}
        roles:
          app:
            start: [bin/server]
            health:
              url: "http://${HEALTH}:3000/"
            load_balancer:
              classic:
                - app-http
                - "app-${POOL}"
        """);

    assertEquals(65, validate("--config", file.toString(), "--user-data",
        "DB=1.2.3.4 evil;REVISION=../../etc;HEALTH=bad host;POOL=x_y"));

    assertEquals(List.of(
        file + ":5: user-data REVISION (revision_from): '../../etc' is not a revision, tag or branch name",
        file + ":7: hosts.dbhost: '1.2.3.4 evil' (from user-data DB) is not an IP address",
        file + ":12: roles.app.health.url: 'http://bad host:3000/' is not a URL",
        file + ":16: roles.app.load_balancer.classic: 'app-x_y' is not a load balancer name",
        "4 problems"), outLines());
  }

  @Test
  void badUserData_isAProblemOfItsOwn_andWhatNeedsItIsSkipped() {
    assertEquals(65, validate("--config", PACKAGED.toString(), "--user-data", "DB=10.126.17.1;oops;1X=2", "--instance-type",
        "m1.large"));

    List<String> lines = outLines();
    assertTrue(lines.contains("user-data: item 2 'oops' is not KEY=VALUE"), out.toString());
    assertTrue(lines.contains("user-data: '1X' is not a variable name (letters, digits, _)"), out.toString());
    assertEquals("2 problems; 3 checks skipped (fix the user-data)", lastLine());
  }

  @Test
  void userDataWithoutTheRoleKey_isAProblem() {
    assertEquals(65, validate("--config", PACKAGED.toString(), "--user-data", "DB=10.126.17.1"));

    assertTrue(outLines().contains(PACKAGED + ":22: user-data has no ROLE (role_from): give ROLE=app|job"), out.toString());
  }

  @Test
  void unknownInstanceType_isAProblemWhenItSizesWorkers_withTheNearestType() {
    assertEquals(65, validate("--config", PACKAGED.toString(), "--user-data", "DB=10.126.17.1;ROLE=job", "--instance-type",
        "m1.lage"));

    assertEquals(List.of("--instance-type: 'm1.lage' is not in amiboot's instance type table (did you mean m1.large?):"
        + " roles.job.workers would be its default (2), not per_ecu x size", "1 problem"), outLinesButUserWarning());
  }

  @Test
  void unknownInstanceType_isAWarningWhenNoRoleSizesWorkersByIt() {
    assertEquals(0, validate("--config", PACKAGED.toString(), "--user-data", "DB=10.126.17.1;ROLE=app", "--instance-type",
        "m1.lage"));

    assertEquals(List.of("--instance-type: warning: 'm1.lage' is not in amiboot's instance type table (did you mean"
        + " m1.large?); no role here sizes its workers per ECU, so it changes nothing",
        "ok: config valid for role app (m1.lage)"), outLinesButUserWarning());
  }

  @Test
  void malformedInstanceType_isAProblem() {
    assertEquals(65, validate("--config", PACKAGED.toString(), "--user-data", "DB=10.126.17.1;ROLE=app", "--instance-type",
        "m1.large;reboot"));

    assertTrue(outLines().contains("--instance-type: 'm1.large;reboot' is not an instance type name (like m1.large)"),
        out.toString());
  }

  /** Whether `user` exists is the box's business: a warning wherever validate runs, even as root. */
  @Test
  void userMissingHere_isAWarning_notAProblem() throws Exception {
    Path file = config("user: nosuchuser-amiboot\ndeploy_to: /srv/app\nrepository: { type: git, url: /srv/git/app }\n"
        + "roles: { app: { start: [bin/server] } }\n");

    assertEquals(0, validate("--config", file.toString()), out + err());

    assertEquals(List.of(file + ":1: warning: user: 'nosuchuser-amiboot' does not exist on this box; a boot as root on a box"
        + " without it exits 65: make sure the image has it (useradd)", "ok: config valid for role app"), outLines());
  }

  @Test
  void userThatExists_saysNothing() throws Exception {
    String me = System.getProperty("user.name");
    Path file = config("user: " + me + "\ndeploy_to: /srv/app\nrepository: { type: git, url: /srv/git/app }\n"
        + "roles: { app: { start: [bin/server] } }\n");

    assertEquals(0, validate("--config", file.toString()), out + err());

    assertEquals(List.of("ok: config valid for role app"), outLines());
  }

  @Test
  void fixedRole_otherRolesUserDataIsNotAsked() throws Exception {
    Path file = config("deploy_to: /srv/app\nrepository: { type: git, url: /srv/git/app }\nrole: app\nroles:\n"
        + "  app: { start: [bin/server] }\n  job: { start: [bin/job, \"${QUEUE}\"], workers: { count: 0 } }\n");

    assertEquals(65, validate("--config", file.toString()));

    // The job role's own problem counts; its ${QUEUE} never will, as no boot of this config runs it.
    assertEquals(List.of(file + ":6: roles.job.workers.count: must be between 1 and 10000, not 0", "1 problem"), outLines());
  }

  @Test
  void notYaml_isOneProblemAtItsLine() throws Exception {
    Path file = config("deploy_to: /srv/app\nroles: [app\n");

    assertEquals(65, validate("--config", file.toString()));

    assertTrue(lastLine().equals("1 problem"), out.toString());
    assertTrue(outLines().get(0).startsWith(file + ":2: not valid YAML: "), out.toString());
  }

  @Test
  void yamlAlias_isAProblemAtItsLine_notTheAnchorsName() throws Exception {
    Path file = config("deploy_to: /srv/app\nrepository: { type: git, url: /srv/git/app }\n"
        + "roles:\n  app:\n    start: [bin/server, &s stop]\n    stop: *s\n");

    assertEquals(65, validate("--config", file.toString()));

    assertEquals(List.of(file + ":6: YAML aliases (*s) are not supported: write the value out in full", "1 problem"),
        outLines());
  }

  @Test
  void deployToTheRootDirectory_isAProblem() throws Exception {
    Path file = config("deploy_to: /etc/../\nrepository: { type: git, url: /srv/git/app }\nroles: { app: { start: [bin/server] } }\n");

    assertEquals(65, validate("--config", file.toString()));

    assertEquals(List.of(file + ":1: deploy_to: '/' is a system directory: releases/, shared/ and current would be written"
        + " into it; give the app's own directory (like /home/payroll or /srv/payroll)", "1 problem"), outLines());
  }

  @Test
  void missingFile_is65_oneLineOnStderr() {
    Path file = dir.resolve("none.yml");

    assertEquals(65, validate("--config", file.toString()));

    assertEquals("amiboot: validate failed: config file not found (" + file + "): create it or pass --config FILE\n", err());
    assertEquals("", out.toString());
  }

  @Test
  void help_saysWhatItChecksAndWhatItDoesNot() {
    assertEquals(0, validate("--help"));

    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.startsWith("Usage: amiboot validate"), help);
    for (String s : new String[] {"--user-data=TEXT", "--instance-type=TYPE", "--config=FILE", "nothing is written",
        "Exit codes: 0 valid, 65 problems."}) {
      assertTrue(help.contains(s), s + " in " + help);
    }
  }
}
