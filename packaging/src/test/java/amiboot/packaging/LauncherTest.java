package amiboot.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/amiboot, the package's /usr/bin/amiboot, run from the source tree with a stand-in java that prints its argv. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("bin", "amiboot").toAbsolutePath();
  private static final Path INIT_SCRIPT = Path.of("..", "init.d", "amiboot").toAbsolutePath().normalize();

  private Path dir;
  private Path fakeJava;
  private Path trainings;
  private Path jar;
  private Path archive;
  private Path lightArchive;

  @BeforeEach
  void fakeJava(@TempDir Path dir) throws Exception {
    // The launcher reads /etc/default/amiboot first, which would change what these tests expect.
    Assumptions.assumeTrue(Files.notExists(Path.of("/etc/default/amiboot")), "/etc/default/amiboot exists here");
    this.dir = dir;
    trainings = dir.resolve("trainings");
    jar = Files.writeString(dir.resolve("amiboot.jar"), "a jar");
    archive = dir.resolve("cache/amiboot.jsa");
    lightArchive = dir.resolve("cache/amiboot-light.jsa");
    // Prints its argv; as an archive-building run, writes the archive (unless told to fail) and logs that it ran.
    fakeJava = dir.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\n"
        + "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*)\n"
        + "  echo \"$*\" >> " + trainings + "\n"
        + "  [ -f " + dir.resolve("fail") + " ] && exit 1\n"
        + "  case \"$*\" in *--light) [ -f " + dir.resolve("fail-light") + " ] && exit 1 ;; esac\n"
        + "  [ -f " + dir.resolve("slow") + " ] && { echo partial > \"${a#*=}\"; exec sleep 30; }\n"
        + "  echo archive > \"${a#*=}\"; exit 0 ;;\n"
        + "  -Xshare:on) [ -f " + dir.resolve("unmappable") + " ] && exit 1 ;; esac; done\n"
        + "[ -n \"${AMIBOOT_CHILD_JAVA_OPTS+set}\" ] && echo \"children: $AMIBOOT_CHILD_JAVA_OPTS\"\n"
        + "for a in \"$@\"; do echo \"arg: $a\"; done\n");
    assertTrue(fakeJava.toFile().setExecutable(true));
  }

  @Test
  void passesJavaOptsTheJarAndEveryArgumentAsItIs() throws Exception {
    List<String> argv = launch(Map.of("JAVA", fakeJava.toString(), "JAVA_OPTS", "-Xmx64m -Dx=1", "AMIBOOT_JAR", "/opt/a.jar",
        "AMIBOOT_CDS", ""), "deploy", "--revision", "v1 with spaces", "$HOME", "*");
    assertEquals(List.of("-Xmx64m", "-Dx=1", "-jar", "/opt/a.jar", "deploy", "--revision", "v1 with spaces", "$HOME", "*"), argv);
    assertTrue(Files.notExists(trainings), "AMIBOOT_CDS empty: no archive");
  }

  @Test
  void classDataArchives_builtOnFirstRun_thenUsed_withJavaOptsAfterTheirFlags() throws Exception {
    Files.createDirectories(archive.getParent());

    List<String> first = launch(cdsEnv(), "deploy");
    List<String> second = launch(cdsEnv(), "deploy");

    List<String> expected = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        "-Xshare:auto", "-jar", jar.toString(), "deploy");
    assertEquals(expected, first, "the first run built the archives, then ran with the boot's");
    assertEquals(expected, second);
    List<String> runs = Files.readAllLines(trainings);
    assertEquals(2, runs.size(), "built once, each: " + runs);
    assertTrue(runs.get(0).endsWith("-Xshare:auto -jar " + jar + " cds-training"), runs.get(0));
    assertTrue(runs.get(1).endsWith("-Xshare:auto -jar " + jar + " cds-training --light"), runs.get(1));
    assertEquals("archive", Files.readString(archive).strip());
    assertEquals("archive", Files.readString(lightArchive).strip());
  }

  @Test
  void classDataArchive_light_forTheCommandsThatOnlyRead_theBootsForTheOthers() throws Exception {
    Files.createDirectories(archive.getParent());

    for (String reader : List.of("plan", "validate", "status", "releases")) {
      assertEquals("-XX:SharedArchiveFile=" + lightArchive, launch(cdsEnv(), reader).get(0), reader);
    }
    for (String changer : List.of("boot", "deploy", "rollback", "stop", "simulate")) {
      assertEquals("-XX:SharedArchiveFile=" + archive, launch(cdsEnv(), changer).get(0), changer);
    }
    assertEquals(2, Files.readAllLines(trainings).size(), "built once");
  }

  @Test
  void classDataArchive_light_thatFailsToBuild_leavesTheReadersTheBootsArchive() throws Exception {
    Files.createDirectories(archive.getParent());
    Files.writeString(dir.resolve("fail-light"), "");

    List<String> argv = launch(cdsEnv(), "status");

    assertEquals("-XX:SharedArchiveFile=" + archive, argv.get(0));
    assertTrue(Files.notExists(lightArchive));
    assertEquals(2, Files.readAllLines(trainings).size(), "both tried once");
    launch(cdsEnv(), "status");
    assertEquals(2, Files.readAllLines(trainings).size(), "and not again on every run");
  }

  @Test
  void classDataArchive_notForVersionOrHelp_butBuiltByThem() throws Exception {
    Files.createDirectories(archive.getParent());

    assertEquals(List.of("-Xshare:auto", "-jar", jar.toString(), "--version"), launch(cdsEnv(), "--version"));
    assertEquals(List.of("-Xshare:auto", "-jar", jar.toString(), "--help"), launch(cdsEnv(), "--help"));

    assertEquals(2, Files.readAllLines(trainings).size(), "the package's postinst runs --version to build them");
    assertEquals("-XX:SharedArchiveFile=" + lightArchive, launch(cdsEnv(), "plan").get(0));
    assertEquals("-XX:SharedArchiveFile=" + archive, launch(cdsEnv(), "boot").get(0));
  }

  @Test
  void classDataArchive_forStart_goesToItsChildren_notToTheResidentSupervisor() throws Exception {
    Files.createDirectories(archive.getParent());

    List<String> argv = launch(cdsEnv(), "start", "--config", "/etc/amiboot/amiboot.yml");

    assertEquals(List.of("children: -XX:SharedArchiveFile=" + archive + " -Xlog:cds=off -Xlog:cds+dynamic=off",
        "-Xshare:auto", "-jar", jar.toString(), "start", "--config", "/etc/amiboot/amiboot.yml"), argv);
  }

  @Test
  void classDataArchive_rebuiltWhenTheJarChanges() throws Exception {
    Files.createDirectories(archive.getParent());
    launch(cdsEnv(), "status");

    Files.writeString(jar, "an upgraded jar, of another size");
    List<String> argv = launch(cdsEnv(), "status");

    assertEquals(4, Files.readAllLines(trainings).size(), "both built again for the new jar");
    assertEquals("-XX:SharedArchiveFile=" + lightArchive, argv.get(0));
  }

  @Test
  void classDataArchive_thatFailsToBuild_runsWithout_andIsNotRetriedEveryRun() throws Exception {
    Files.createDirectories(archive.getParent());
    Files.writeString(dir.resolve("fail"), "");

    List<String> first = launch(cdsEnv(), "status");
    List<String> second = launch(cdsEnv(), "status");

    List<String> expected = List.of("-Xshare:auto", "-jar", jar.toString(), "status");
    assertEquals(expected, first);
    assertEquals(expected, second);
    assertEquals(2, Files.readAllLines(trainings).size(), "one try each per jar and JVM");
    assertTrue(Files.notExists(archive));
    assertTrue(Files.notExists(lightArchive));
    assertOnlyStampAndLockLeft();
  }

  @Test
  void classDataArchive_thatTheJvmCannotMap_isNotInstalled() throws Exception {
    Files.createDirectories(archive.getParent());
    Files.writeString(dir.resolve("unmappable"), "");

    List<String> argv = launch(cdsEnv(), "status");

    assertEquals(List.of("-Xshare:auto", "-jar", jar.toString(), "status"), argv);
    assertEquals(2, Files.readAllLines(trainings).size());
    assertOnlyStampAndLockLeft();
  }

  @Test
  void classDataArchive_rebuiltWhenJavaOptsChange() throws Exception {
    Files.createDirectories(archive.getParent());
    launch(cdsEnv(), "status");

    Map<String, String> env = new java.util.HashMap<>(cdsEnv());
    env.put("JAVA_OPTS", "-Xshare:auto -Xmx64m");
    List<String> argv = launch(env, "status");

    assertEquals(4, Files.readAllLines(trainings).size(), "an archive is tied to the JVM's flags too");
    assertEquals("-XX:SharedArchiveFile=" + lightArchive, argv.get(0));
  }

  @Test
  void classDataArchive_beingBuiltByAnotherLauncher_isNeitherBuiltAgainNorUsed() throws Exception {
    Files.createDirectories(archive.getParent());
    Process other = new ProcessBuilder("flock", archive + ".lock", "sleep", "60").start();
    try {
      Path lock = Path.of(archive + ".lock");
      for (int i = 0; i < 100 && Files.notExists(lock); i++) {
        Thread.sleep(50);
      }
      Thread.sleep(200); // flock(1) creates the file, then takes the lock

      List<String> argv = launch(cdsEnv(), "status");

      assertEquals(List.of("-Xshare:auto", "-jar", jar.toString(), "status"), argv);
      assertTrue(Files.notExists(trainings), "no second build while one runs");
    } finally {
      other.destroy();
    }
  }

  @Test
  void classDataArchive_buildStoppedMidway_leavesNoPartialFile() throws Exception {
    Files.createDirectories(archive.getParent());
    Files.writeString(dir.resolve("slow"), "");
    // as systemctl stop or a service manager would: SIGTERM to the launcher's whole process group
    ProcessBuilder builder = new ProcessBuilder("setsid", "sh", LAUNCHER.toString(), "status");
    builder.environment().putAll(cdsEnv());
    Process launcher = builder.start();
    try (var unused = launcher.getInputStream()) {
      for (int i = 0; i < 200 && !partialFileExists(); i++) {
        Thread.sleep(50);
      }
      assertTrue(partialFileExists(), "the build started");

      assertEquals(0, new ProcessBuilder("kill", "-TERM", "--", "-" + launcher.pid()).start().waitFor());

      assertTrue(launcher.waitFor(20, TimeUnit.SECONDS));
      // the build's subshell outlives the launcher's own shell by its trap
      for (int i = 0; i < 100 && partialFileExists(); i++) {
        Thread.sleep(50);
      }
      try (var left = Files.list(archive.getParent())) {
        assertEquals(List.of(archive.resolveSibling("amiboot.jsa.lock")), left.toList(), "no partial archive, no stamp");
      }
    } finally {
      launcher.destroyForcibly();
    }
  }

  private boolean partialFileExists() throws Exception {
    try (var files = Files.list(archive.getParent())) {
      return files.anyMatch(f -> f.getFileName().toString().matches("amiboot\\.jsa\\.\\d+"));
    }
  }

  private void assertOnlyStampAndLockLeft() throws Exception {
    try (var left = Files.list(archive.getParent())) {
      assertEquals(List.of(archive.resolveSibling("amiboot.jsa.lock"), archive.resolveSibling("amiboot.jsa.stamp")),
          left.sorted().toList(), "no temp file left behind");
    }
  }

  @Test
  void classDataArchive_build_removesWhatAKilledBuildLeftBehind() throws Exception {
    Files.createDirectories(archive.getParent());
    // as a build SIGKILLed mid-way (systemd at the end of TimeoutStopSec) leaves them
    Files.writeString(archive.resolveSibling("amiboot.jsa.4242"), "partial");
    Files.writeString(archive.resolveSibling("amiboot.jsa.4242.light"), "partial");

    launch(cdsEnv(), "status");

    try (var left = Files.list(archive.getParent())) {
      assertEquals(List.of(lightArchive, archive, archive.resolveSibling("amiboot.jsa.lock"),
          archive.resolveSibling("amiboot.jsa.stamp")), left.sorted().toList());
    }
  }

  @Test
  void classDataArchive_whoseDirectoryIsMissing_isNeitherBuiltNorUsed() throws Exception {
    List<String> argv = launch(cdsEnv(), "status");

    assertEquals(List.of("-Xshare:auto", "-jar", jar.toString(), "status"), argv);
    assertTrue(Files.notExists(trainings));
  }

  private Map<String, String> cdsEnv() {
    return Map.of("JAVA", fakeJava.toString(), "JAVA_OPTS", "-Xshare:auto", "AMIBOOT_JAR", jar.toString(),
        "AMIBOOT_CDS", archive.toString());
  }

  @Test
  void defaults_arePackagedJar_andTheInitScriptsJavaOpts() throws Exception {
    // the default archive directory of an installed package may exist here: point it elsewhere
    List<String> argv = launch(Map.of("JAVA", fakeJava.toString(), "AMIBOOT_CDS", archive.toString()), "--version");
    String initDefault = Fixtures.javaOptsDefault(INIT_SCRIPT);
    List<String> expected = new java.util.ArrayList<>(List.of(initDefault.split("\\s+")));
    expected.addAll(List.of("-jar", "/usr/share/amiboot/amiboot.jar", "--version"));
    assertEquals(expected, argv, "the launcher's JAVA_OPTS default is the init script's");
    assertEquals(initDefault, Fixtures.javaOptsDefault(LAUNCHER));
  }

  private static List<String> launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("AMIBOOT_JAR");
    builder.environment().remove("AMIBOOT_CDS");
    builder.environment().remove("AMIBOOT_CHILD_JAVA_OPTS");
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().map(l -> l.startsWith("arg: ") ? l.substring(5) : l.startsWith("children: ") ? l : "unexpected: " + l)
        .toList();
  }
}
