package amiboot.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.metadata.RawUserData;
import amiboot.simulate.ImdsStandIn;
import amiboot.testing.Box;
import amiboot.testing.CliProcess;
import amiboot.testing.Examples;
import amiboot.testing.GitRepos;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Bad user-data is refused with exit 65 before anything on the box changes. */
class BadUserDataTest {
  @TempDir Path temp;
  private Box box;

  @BeforeEach
  void setUp() {
    Path repo = GitRepos.fromDirectory(Examples.smallPayroll(), temp.resolve("upstream/payroll"));
    box = new Box(temp.resolve("box"));
    box.config("type: git\nurl: " + GitRepos.url(repo) + "\n");
  }

  @AfterEach
  void tearDown() {
    box.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      an address with a word after it | DB=1.2.3.4 evil;ROLE=app   | '1.2.3.4 evil' (from user-data DB) is not an IP address
      shell characters as the address | DB=$(reboot);ROLE=app      | is not an IP address
      a path as the role              | DB=10.126.17.1;ROLE=../../x | ROLE='../../x' is not a configured role (roles: app, job)
      an unknown role                 | DB=10.126.17.1;ROLE=web     | ROLE='web' is not a configured role
      no role at all                  | DB=10.126.17.1              | user-data has no ROLE (role_from)
      no DB that the config needs     | ROLE=app                    | ${DB} is not defined
      a line that is not KEY=VALUE    | DB=1.2.3.4<NL>evil;ROLE=app  | 'evil' is not KEY=VALUE
      a newline inside a YAML value   | DB: "1.2.3.4\\nevil"<NL>ROLE: app | DB holds a control character
      a YAML alias as the role        | DB: &app 10.126.17.1<NL>ROLE: *app | line 2: YAML aliases (*app) are not supported
      a line separator in a value     | DB=10.126<LS>.17.1;ROLE=app  | DB holds U+2028 LINE SEPARATOR, which does not print
      a bidi override in the role     | DB=10.126.17.1;ROLE=pp<RLO>a | ROLE holds U+202E RIGHT-TO-LEFT OVERRIDE
      a line separator in an item     | DB=10.126.17.1;R<LS>;ROLE=app | item 2 'R\\u2028' is not KEY=VALUE
      """)
  void badUserData_exits65_andChangesNothing(String what, String userData, String expected) {
    // <NL> is a line break in the user-data, <LS> U+2028, <RLO> U+202E; \\n inside YAML quotes is YAML's own escape.
    box.instance("m1.small", userData.replace("<NL>", "\n").replace("<LS>", "\u2028").replace("<RLO>", "\u202e"));
    Map<String, String> before = box.snapshot();

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), what + "\n" + result);
    String error = result.stderr().strip();
    assertEquals(1, error.lines().count(), "one line: " + error);
    assertTrue(error.contains(expected), what + ": " + error);
    assertEquals(Box.HOSTS_BEFORE, box.hosts(), "hosts file unchanged");
    Map<String, String> after = box.snapshot();
    // state_dir (var/lib/amiboot) records the failed run; everything else stays as it was.
    after.keySet().removeIf(k -> k.startsWith("var"));
    before.keySet().removeIf(k -> k.startsWith("var"));
    assertEquals(before, after, "deploy directory unchanged");
  }

  @Test
  void gzipThatInflatesPastOneMiB_exits65_oneLine() throws Exception {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
      out.write(new byte[8 << 20]); // 8 MiB of zeros in some 8 KB: within EC2's 16 KB
    }
    box.instance(ImdsStandIn.Instance.of("m1.small", null).withUserData(new RawUserData(bomb.toByteArray())));

    CliProcess.Result result = box.boot();

    assertEquals(65, result.exitCode(), result.toString());
    assertEquals("amiboot: boot failed: user-data rejected: it is gzip that inflates to more than 1 MiB; give KEY=VALUE pairs"
        + " (DB=10.126.17.1;ROLE=app) or a YAML mapping", result.stderr().strip());
    assertEquals(Box.HOSTS_BEFORE, box.hosts(), "hosts file unchanged");
  }
}
