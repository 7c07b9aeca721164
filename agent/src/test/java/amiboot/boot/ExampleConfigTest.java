package amiboot.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.config.UserData;
import amiboot.metadata.InstanceIdentity;
import amiboot.process.InstanceTypes;
import amiboot.testing.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configs a new user copies (README, packaging/amiboot.yml) read and resolve as documented. */
class ExampleConfigTest {
  private static final Path REPO = Examples.root().getParent();

  private static BootPlan plan(AgentConfig config, String type, String userData) throws Exception {
    InstanceIdentity instance = new InstanceIdentity("i-0abc", type, "us-east-1a", "us-east-1", "10.0.0.5");
    return new PlanResolver(InstanceTypes.shipped()).resolve(config, instance, UserData.parse(userData), "20261121000000");
  }

  @Test
  void packagedConfig_appRole_resolvesTheSeedsCommands() throws Exception {
    AgentConfig config = new ConfigReader().read(REPO.resolve("packaging/amiboot.yml"));

    BootPlan plan = plan(config, "m1.small", "DB=10.126.17.1;ROLE=app");

    assertEquals("app", plan.role());
    assertEquals("10.126.17.1 dbhost", plan.hosts().get(0).render());
    assertEquals(List.of("mongrel_rails", "cluster::start", "-C", "/home/payroll/current/config/mongrel_cluster.yml"), plan.start());
    assertEquals(List.of("smallpayroll-http"), plan.loadBalancers().orElseThrow().classic());
    assertEquals("welcome", plan.health().orElseThrow().expect().orElseThrow());
    assertEquals(Path.of("/etc/amiboot/scm-password"), plan.source().passwordFile().orElseThrow());
  }

  @Test
  void packagedConfig_jobRole_sizesWorkersPerEcu() throws Exception {
    AgentConfig config = new ConfigReader().read(REPO.resolve("packaging/amiboot.yml"));

    assertEquals(List.of("/home/payroll/current/script/delayed_job", "-n", "8", "start"),
        plan(config, "m1.large", "DB=10.126.17.1;ROLE=job").start());
    assertEquals(List.of("/home/payroll/current/script/delayed_job", "-n", "2", "start"),
        plan(config, "m1.small", "DB=10.126.17.1;ROLE=job").start());
    assertEquals("production", plan(config, "m1.small", "DB=10.126.17.1;ROLE=job").env().get("RAILS_ENV"));
  }

  @Test
  void readmeConfigBlocks_allReadAndResolve() throws Exception {
    List<String> blocks = yamlBlocks(Files.readString(REPO.resolve("README.md")));
    List<String> configs = blocks.stream().filter(b -> b.contains("roles:")).toList();
    assertFalse(configs.isEmpty(), "the README shows a config");
    for (String yaml : configs) {
      AgentConfig config = new ConfigReader().parse(yaml, Path.of("README.md"));
      assertEquals("app", plan(config, "m1.small", "DB=10.126.17.1;ROLE=app").role());
    }
  }

  @Test
  void readmeUserDataBlocks_allGiveDbAndRole() throws Exception {
    String readme = Files.readString(REPO.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## User-data"), readme.indexOf("## The layout"));
    List<String> blocks = codeBlocks(section);
    assertEquals(4, blocks.size(), "four user-data forms");
    for (String block : blocks) {
      String userData = block.replaceAll("(?m)[ \\t]+#(?!cloud-config).*$", "");
      UserData parsed = UserData.parse(userData);
      assertEquals("10.126.17.1", parsed.values().get("DB"), block);
      assertEquals("app", parsed.values().get("ROLE"), block);
    }
  }

  private static List<String> yamlBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> codeBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    assertTrue(out.size() > 0);
    return out;
  }
}
