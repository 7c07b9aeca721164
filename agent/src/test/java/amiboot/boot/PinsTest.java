package amiboot.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.config.UserData;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.BadInputException;
import amiboot.process.InstanceTypes;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What to deploy: the command line over user-data (revision_from, branch_from) over the config. */
class PinsTest {
  private static final String CONFIG = """
      deploy_to: /home/payroll
      repository:
        type: git
        url: https://git.example.com/payroll.git
        branch: main
        revision: v1
        revision_from: REVISION
        branch_from: BRANCH
      roles:
        app:
          start: [bin/server]
      """;

  private static BootPlan plan(String config, String userData, Pins pins) throws Exception {
    AgentConfig parsed = new ConfigReader().parse(config, Path.of("/etc/amiboot/amiboot.yml"));
    InstanceIdentity instance = new InstanceIdentity("i-0abc", "m1.small", "us-east-1a", "us-east-1", "10.0.0.5");
    return new PlanResolver(InstanceTypes.shipped()).resolve(parsed, instance, UserData.parse(userData), "20261122000000", pins);
  }

  @Test
  void theConfig_whenNothingElsePins() throws Exception {
    BootPlan plan = plan(CONFIG, null, Pins.none());

    assertEquals(Optional.of("v1"), plan.source().revision());
    assertEquals(Optional.of("main"), plan.source().branch());
  }

  @Test
  void userData_overTheConfig() throws Exception {
    BootPlan plan = plan(CONFIG, "REVISION=v2;BRANCH=release/2.x", Pins.none());

    assertEquals(Optional.of("v2"), plan.source().revision());
    assertEquals(Optional.of("release/2.x"), plan.source().branch());
  }

  @Test
  void theCommandLine_overUserData() throws Exception {
    BootPlan plan = plan(CONFIG, "REVISION=v2", new Pins(Optional.of("0a1b2c3d"), Optional.empty()));

    assertEquals(Optional.of("0a1b2c3d"), plan.source().revision());
  }

  @Test
  void aBranchPinnedHigher_meansThatBranchsHead_notARevisionFromLower() throws Exception {
    BootPlan byCli = plan(CONFIG, "REVISION=v2", new Pins(Optional.empty(), Optional.of("hotfix")));
    BootPlan byUserData = plan(CONFIG, "BRANCH=hotfix", Pins.none());

    assertEquals(Optional.empty(), byCli.source().revision());
    assertEquals(Optional.of("hotfix"), byCli.source().branch());
    assertEquals(Optional.empty(), byUserData.source().revision());
    assertEquals(Optional.of("hotfix"), byUserData.source().branch());
  }

  @Test
  void aValueThatIsNoRevisionName_isRefused_beforeAnythingRuns() {
    for (String bad : new String[] {"--upload-pack=x", "a..b", "v1 v2", "$(reboot)"}) {
      BadInputException e = assertThrows(BadInputException.class, () -> plan(CONFIG, "REVISION=" + bad, Pins.none()));
      assertTrue(e.getMessage().contains("user-data REVISION (revision_from)") && e.getMessage().contains("is not a revision"),
          e.getMessage());
    }
  }

  @Test
  void aBranchForSvn_isRefused() {
    String svn = CONFIG.replace("type: git", "type: svn").replace("url: https://git.example.com/payroll.git",
        "url: svn://svn.example.com/payroll/trunk").replace("  branch: main\n", "").replace("  branch_from: BRANCH\n", "")
        .replace("revision: v1", "revision: 7");

    BadInputException e = assertThrows(BadInputException.class,
        () -> plan(svn, null, new Pins(Optional.empty(), Optional.of("stable"))));

    assertTrue(e.getMessage().contains("a branch is for git"), e.getMessage());
  }
}
