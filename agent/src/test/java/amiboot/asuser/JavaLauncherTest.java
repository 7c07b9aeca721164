package amiboot.asuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user's JVM is launched like this one, from / : its jar and class path must not be relative. */
class JavaLauncherTest {
  private static final String HERE = Path.of("").toAbsolutePath().toString();

  @Test
  void aJar_relativeMadeAbsolute_flagsKept_argumentsLeftOut() throws IOException {
    assertEquals(List.of("java", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/var/cache/amiboot/amiboot.jsa", "-jar",
            HERE + "/packaging/target/amiboot.jar"),
        JavaLauncher.upToMain(List.of("java", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/var/cache/amiboot/amiboot.jsa",
            "-jar", "packaging/target/amiboot.jar", "boot", "--config", "x.yml")));
  }

  @Test
  void aClassPath_eachEntryAbsolute_upToTheMainClass() throws IOException {
    assertEquals(List.of("/usr/bin/java", "-cp", HERE + "/classes:/opt/lib/a.jar", "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "amiboot.cli.Main"),
        JavaLauncher.upToMain(List.of("/usr/bin/java", "-cp", "classes:/opt/lib/a.jar", "--add-opens",
            "java.base/java.io=ALL-UNNAMED", "amiboot.cli.Main", "deploy")));
  }

  @Test
  void forTheUser_dropsWhatCouldLeakItsMemory_andTurnsOffAttachAndTheUsersHome() {
    List<String> argv = JavaLauncher.forTheUser(List.of("java", "-Xmx128m", "-XX:+HeapDumpOnOutOfMemoryError",
        "-javaagent:/x.jar", "-Xlog:gc", "-cp", "/a.jar", "amiboot.cli.Main"));

    assertEquals(List.of("java", "-Xmx128m", "-cp", "/a.jar", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData",
        "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr", "-Duser.home=/nonexistent",
        "amiboot.cli.Main"), argv);
    assertEquals(List.of("java", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData", "-XX:+DisplayVMOutputToStderr",
        "-Xlog:disable", "-Xlog:all=warning:stderr", "-Duser.home=/nonexistent", "-jar", "/a.jar"),
        JavaLauncher.forTheUser(List.of("java", "-jar", "/a.jar")));
  }

  @Test
  void noJarNorMainClass_isAnError() {
    assertThrows(IOException.class, () -> JavaLauncher.upToMain(List.of("java", "-version")));
  }
}
