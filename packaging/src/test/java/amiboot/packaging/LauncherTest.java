package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/amiboot, the package's /usr/bin/amiboot, run from the source tree with a stand-in java that prints its argv. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("bin", "amiboot").toAbsolutePath();
  private static final Path INIT_SCRIPT = Path.of("..", "init.d", "amiboot").toAbsolutePath().normalize();
  private static final Pattern JAVA_OPTS_DEFAULT = Pattern.compile("^: \"\\$\\{JAVA_OPTS:=(.*)}\"$", Pattern.MULTILINE);

  private Path fakeJava;

  @BeforeEach
  void fakeJava(@TempDir Path dir) throws Exception {
    // The launcher reads /etc/default/amiboot first, which would change what these tests expect.
    Assumptions.assumeTrue(Files.notExists(Path.of("/etc/default/amiboot")), "/etc/default/amiboot exists here");
    fakeJava = dir.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg: $a\"; done\n");
    assertTrue(fakeJava.toFile().setExecutable(true));
  }

  @Test
  void passesJavaOptsTheJarAndEveryArgumentAsItIs() throws Exception {
    List<String> argv = launch(Map.of("JAVA", fakeJava.toString(), "JAVA_OPTS", "-Xmx64m -Dx=1", "AMIBOOT_JAR", "/opt/a.jar"),
        "deploy", "--revision", "v1 with spaces", "$HOME", "*");
    assertEquals(List.of("-Xmx64m", "-Dx=1", "-jar", "/opt/a.jar", "deploy", "--revision", "v1 with spaces", "$HOME", "*"), argv);
  }

  @Test
  void defaults_arePackagedJar_andTheInitScriptsJavaOpts() throws Exception {
    List<String> argv = launch(Map.of("JAVA", fakeJava.toString()), "--version");
    String initDefault = javaOptsDefault(INIT_SCRIPT);
    List<String> expected = new java.util.ArrayList<>(List.of(initDefault.split("\\s+")));
    expected.addAll(List.of("-jar", "/usr/share/amiboot/amiboot.jar", "--version"));
    assertEquals(expected, argv, "the launcher's JAVA_OPTS default is the init script's");
    assertEquals(initDefault, javaOptsDefault(LAUNCHER));
  }

  private static String javaOptsDefault(Path script) throws Exception {
    Matcher m = JAVA_OPTS_DEFAULT.matcher(Files.readString(script));
    assertTrue(m.find(), script + " sets a JAVA_OPTS default");
    return m.group(1);
  }

  private static List<String> launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("AMIBOOT_JAR");
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().map(l -> l.startsWith("arg: ") ? l.substring(5) : "unexpected: " + l).toList();
  }
}
