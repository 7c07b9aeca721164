package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code amiboot status} in-process against a real state file in a temp state_dir. */
class StatusCommandTest {
  private static final String OK_RECORD = """
      {"version": 1, "command": "boot", "started_at": "2026-01-02T03:04:00Z",
       "finished_at": "2026-01-02T03:04:05Z", "duration_ms": 5000, "result": "ok",
       "instance": {"id": "i-0abc", "type": "m1.large"}, "role": "app",
       "release": "20260102030400", "revision": "1a2b3c",
       "steps": [{"step": "lock", "status": "ok", "duration_ms": 1, "detail": "held"}]}
      """;

  @TempDir Path dir;
  private Path config;
  private Path stateFile;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void config() throws IOException {
    Path stateDir = dir.resolve("state");
    Files.createDirectories(stateDir);
    stateFile = stateDir.resolve("state.json");
    config = dir.resolve("amiboot.yml");
    Files.writeString(config, "deploy_to: /srv/app\nrepository: { type: git, url: file:///x }\n"
        + "state_dir: " + stateDir + "\nroles: { app: {} }\n");
  }

  private int status(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "status";
    args[1] = "--config";
    args[2] = config.toString();
    System.arraycopy(more, 0, args, 3, more.length);
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String onlyErrLine() {
    String text = err.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertEquals(1, lines.size(), () -> "expected one line on stderr, got: " + text);
    return lines.get(0);
  }

  private void assertUnusable(String reason) {
    String line = onlyErrLine();
    assertEquals("amiboot: status: state file " + stateFile + " is not a usable record (" + reason
        + "): the next boot rewrites it", line);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void goodRecord_printsIt_exit0() throws IOException {
    Files.writeString(stateFile, OK_RECORD);

    assertEquals(0, status());

    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("last boot: ok at 2026-01-02T03:04:05Z (5000 ms)"), text);
    assertTrue(text.contains("revision 1a2b3c"), text);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void failedRecord_exit1() throws IOException {
    Files.writeString(stateFile, OK_RECORD.replace("\"result\": \"ok\"", "\"result\": \"failed\", \"error\": \"health: no 2xx\""));

    assertEquals(1, status());

    assertTrue(out.toString(StandardCharsets.UTF_8).contains("error:    health: no 2xx"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noStateFile_exit3() {
    assertEquals(3, status());
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("no run recorded yet"));
  }

  @Test
  void corruptStateFile_oneLineExit4_noJacksonDump() throws IOException {
    Files.writeString(stateFile, "{\"command\": \"boot\",\n \"result\": \"o");  // cut short by a crash

    assertEquals(4, status());

    String line = onlyErrLine();
    assertTrue(line.startsWith("amiboot: status: state file " + stateFile + " is not a usable record (not valid JSON at line 2"),
        line);
    assertTrue(line.endsWith("): the next boot rewrites it"), line);
    assertFalse(line.contains("Source"), line);
  }

  @Test
  void corruptStateFile_withJson_sameOneLine() throws IOException {
    Files.writeString(stateFile, "not json");

    assertEquals(4, status("--json"));

    assertTrue(onlyErrLine().contains("is not a usable record (not valid JSON at line 1, column "), err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{index}: {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                              | empty",
      "'  \n'                                          | empty",
      "'[1, 2]'                                        | not a JSON object",
      "'\"boot\"'                                      | not a JSON object",
      "'{}'                                            | no command, result, finished_at",
      "'{\"command\": \"boot\", \"result\": \"ok\"}'   | no finished_at",
      "'{\"command\": \"boot\", \"result\": 1, \"finished_at\": \"x\"}' | no result",
      "'{\"command\": \"boot\", \"result\": \"meh\", \"finished_at\": \"x\"}' | result is neither ok, degraded, failed nor interrupted",
  })
  void unusableRecord_oneLineExit4(String content, String reason) throws IOException {
    Files.writeString(stateFile, content);

    assertEquals(4, status());

    assertUnusable(reason);
  }

  @Test
  void stateFileIsADirectory_oneLine() throws IOException {
    Files.createDirectory(stateFile);

    assertEquals(4, status());

    String line = onlyErrLine();
    assertEquals("amiboot: status: cannot read state file " + stateFile + " (Is a directory): check that it is a readable file",
        line);
  }

  @Test
  void afterAStop_exit3_stopped_andTheLastBootsStepsAreShownToo() throws IOException {
    Files.writeString(stateFile.resolveSibling("last-boot.json"), OK_RECORD);
    Files.writeString(stateFile, OK_RECORD.replace("\"command\": \"boot\"", "\"command\": \"stop\""));

    assertEquals(3, status());

    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\nservice:  stopped\n"), text);
    assertTrue(text.contains("\nlast boot: ok at 2026-01-02T03:04:05Z (5000 ms)\n  lock "), text);
  }

  @Test
  void aSupervisedRole_withNoAmibootStart_exit3() throws IOException {
    Files.writeString(stateFile, OK_RECORD.replace("\"role\": \"app\"", "\"role\": \"app\", \"supervised\": true"));

    assertEquals(3, status());

    assertTrue(out.toString(StandardCharsets.UTF_8).contains("service:  not running: no amiboot start supervises the workers"));
  }

  @Test
  void aStalePidFileOfAmibootStart_exit1() throws IOException {
    Files.writeString(stateFile, OK_RECORD);
    Files.writeString(stateFile.resolveSibling("amiboot-start.pid"), "999999\n");

    assertEquals(1, status());

    assertTrue(out.toString(StandardCharsets.UTF_8).contains("service:  dead: amiboot start is gone"));
  }

  @Test
  void aDaemonizedRole_showsEachPidFile_exit0WhenAllLive_exit1WhenOneIsDead() throws Exception {
    Path pids = dir.resolve("app/shared/tmp/pids");
    Files.createDirectories(pids);
    Files.writeString(stateFile, OK_RECORD.replace("\"role\": \"app\"", "\"role\": \"app\", \"deploy_to\": \""
        + dir.resolve("app") + "\""));
    long live = ProcessHandle.current().pid();
    Files.writeString(pids.resolve("mongrel.8000.pid"), live + "\n");

    assertEquals(0, status());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  mongrel.8000  pid " + live + "  running  up "), out.toString());

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(pids.resolve("delayed_job.1.pid"), gone.pid() + "\n");
    out.reset();

    assertEquals(1, status());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  delayed_job.1  pid " + gone.pid() + "  dead\n"), out.toString());

    out.reset();
    assertEquals(1, status("--json"));
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
    assertEquals(1, doc.path("exit_code").asInt());
    assertEquals("dead", doc.path("processes").get(0).path("state").asText(), doc.toPrettyString());
    assertEquals("running", doc.path("processes").get(1).path("state").asText(), doc.toPrettyString());
    assertEquals("boot", doc.path("last_run").path("command").asText());
  }

  @Test
  void loadBalancerMembership_asLastSeen() throws IOException {
    Files.writeString(stateFile, OK_RECORD);
    new amiboot.state.MembershipStore(stateFile.getParent()).recordQuietly("i-0abc", List.of("web", "api"),
        amiboot.state.MembershipStore.State.IN_SERVICE, java.time.Instant.parse("2026-01-02T03:04:05Z"), "deploy");

    assertEquals(0, status());

    assertTrue(out.toString(StandardCharsets.UTF_8).contains(
        "load balancers: i-0abc registered and InService with web, api (seen by deploy at 2026-01-02T03:04:05Z)"), out.toString());
  }

  @Test
  void underAmibootStart_aDaemonizedRolesPidFilesStillCount_andASupervisedRoleWithNoWorkersIsDead() throws Exception {
    Path pids = dir.resolve("app/shared/tmp/pids");
    Files.createDirectories(pids);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(pids.resolve("mongrel.8000.pid"), gone.pid() + "\n");
    String daemonized = OK_RECORD.replace("\"role\": \"app\"", "\"role\": \"app\", \"deploy_to\": \"" + dir.resolve("app") + "\"");
    var workers = new amiboot.process.LocalWorkers(java.time.Clock.systemUTC(), amiboot.process.RestartPolicy.DEFAULT);
    try (var server = amiboot.control.ControlServer.open(amiboot.control.ControlServer.socketIn(stateFile.getParent()), workers,
        java.time.Instant.now())) {
      Files.writeString(stateFile, daemonized);
      assertEquals(1, status());
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("  mongrel.8000  pid " + gone.pid() + "  dead"), out.toString());

      out.reset();
      Files.writeString(stateFile, daemonized.replace("\"role\": \"app\"", "\"role\": \"app\", \"supervised\": true"));
      assertEquals(1, status());
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("service:  amiboot start runs, but no workers do: amiboot start (pid "
          + ProcessHandle.current().pid() + "), up "), out.toString());
    }
  }

  @Test
  void aLiveAmibootStartThatDoesNotAnswer_exit4() throws IOException {
    Files.writeString(stateFile, OK_RECORD.replace("\"role\": \"app\"", "\"role\": \"app\", \"supervised\": true"));
    Files.writeString(stateFile.resolveSibling("amiboot-start.pid"), ProcessHandle.current().pid() + "\n");

    assertEquals(4, status());

    assertTrue(out.toString(StandardCharsets.UTF_8).contains("service:  amiboot start (pid " + ProcessHandle.current().pid()
        + ") runs but did not answer"), out.toString());
  }
}
