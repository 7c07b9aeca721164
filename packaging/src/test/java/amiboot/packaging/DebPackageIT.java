package amiboot.packaging;

import static amiboot.packaging.Fixtures.alive;
import static amiboot.packaging.Fixtures.await;
import static amiboot.packaging.Fixtures.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.packaging.Fixtures.Run;
import amiboot.simulate.ImdsStandIn;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package for real: dpkg installs it into this machine, then upgrades it over itself,
 * removes it and purges it, and every test leaves the machine as it found it (it purges the package
 * in a finally). Runs as root only, on a machine with dpkg where amiboot is not installed and none
 * of its paths exist, so that it never touches a real installation. CI (.ci/run) is such a machine.
 *
 * <p>dpkg runs with its standard input from /dev/null: a conffile prompt would read end-of-file
 * and fail the install, so a passing upgrade proves that dpkg kept the edited config without
 * asking. No --force-* option is used: the Java runtime the build runs on is Debian's
 * openjdk-17-jre-headless, which satisfies the package's Depends.
 */
class DebPackageIT {
  private static final String PACKAGE = "amiboot";
  private static final Path JAR = Path.of(System.getProperty("amiboot.jar", "target/amiboot.jar")).toAbsolutePath();
  private static final String PROJECT_VERSION = System.getProperty("amiboot.version", "");
  private static final Path SOURCES = Path.of("..").toAbsolutePath().normalize();
  /** What the package installs (directories it creates too): none may exist before a test. */
  private static final List<Path> INSTALLED = List.of(Path.of("/usr/share/amiboot"), Path.of("/usr/bin/amiboot"),
      Path.of("/etc/init.d/amiboot"), Path.of("/lib/systemd/system/amiboot.service"), Path.of("/etc/amiboot"),
      Path.of("/var/lib/amiboot"), Path.of("/var/log/amiboot"), Path.of("/var/cache/amiboot"), Path.of("/usr/share/doc/amiboot"));
  private static final Path ARCHIVE = Path.of("/var/cache/amiboot/amiboot.jsa");
  private static final Path LIGHT_ARCHIVE = Path.of("/var/cache/amiboot/amiboot-light.jsa");
  private static final Path STAMP = Path.of("/var/cache/amiboot/amiboot.jsa.stamp");
  private static final Path CONFIG = Path.of("/etc/amiboot/amiboot.yml");
  private static final Path INIT_SCRIPT = Path.of("/etc/init.d/amiboot");
  private static final Path DEFAULTS = Path.of("/etc/default/amiboot");

  private Path deb;

  @BeforeEach
  void onlyWhereItCanInstallAndCleanUp() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is needed");
    Assumptions.assumeTrue("0".equals(run(List.of("id", "-u")).out().strip()), "installing a package needs root");
    Run status = run(List.of("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE));
    Assumptions.assumeTrue(status.exit() != 0 || status.out().strip().equals("not-installed"),
        "amiboot is installed on this machine (" + status.out().strip() + "): not touching it (dpkg -P amiboot lets this test run)");
    List<Path> untouchable = new ArrayList<>(INSTALLED);
    untouchable.add(DEFAULTS);
    for (Path p : untouchable) {
      Assumptions.assumeTrue(Files.notExists(p, LinkOption.NOFOLLOW_LINKS), p + " exists on this machine: not touching it");
    }
    deb = debFile();
  }

  @Test
  void install_upgradeOverItselfKeepsTheEditedConfig_removeKeepsConfigAndState_purgeRemovesThem(@TempDir Path dir)
      throws Exception {
    // The package as built: name, version from the project's, Depends.
    assertEquals(PACKAGE, field("Package"));
    assertEquals("all", field("Architecture"));
    assertEquals("default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless | java17-runtime-headless", field("Depends"));
    String version = field("Version");
    if (PROJECT_VERSION.endsWith("-SNAPSHOT")) {
      String release = PROJECT_VERSION.substring(0, PROJECT_VERSION.length() - "-SNAPSHOT".length());
      assertTrue(version.matches(Pattern.quote(release) + "~\\d{14}"), "snapshot version with its build time: " + version);
      assertEquals(0, run(List.of("dpkg", "--compare-versions", version, "lt", release)).exit(),
          version + " sorts before the release " + release);
    } else {
      assertEquals(PROJECT_VERSION, version);
    }

    boolean createdDefaults = false; // /etc/default/amiboot: absent before (see the assumptions)
    try {
      Run install = dpkg("-i", deb.toString());
      assertEquals(0, install.exit(), install.out());
      assertTrue(install.out().contains("not enabled"), install.out());
      assertTrue(install.out().contains("systemctl enable --now amiboot"), install.out());
      assertTrue(install.out().contains("update-rc.d amiboot defaults"), install.out());
      assertEquals("ii ", query("${db:Status-Abbrev}"));

      // The files, where they belong, with their modes and owners.
      Set<String> listed = new TreeSet<>(run(List.of("dpkg", "-L", PACKAGE)).out().lines().toList());
      for (String p : List.of("/usr/share/amiboot/amiboot.jar", "/usr/bin/amiboot", "/etc/init.d/amiboot",
          "/lib/systemd/system/amiboot.service", "/etc/amiboot/amiboot.yml", "/var/lib/amiboot", "/var/log/amiboot",
          "/usr/share/doc/amiboot/README.md", "/usr/share/doc/amiboot/rc.local.snippet")) {
        assertTrue(listed.contains(p), "dpkg -L lists " + p + ": " + listed);
      }
      assertMode("/usr/share/amiboot/amiboot.jar", "rw-r--r--", "root", "root");
      assertMode("/usr/bin/amiboot", "rwxr-xr-x", "root", "root");
      assertMode("/etc/init.d/amiboot", "rwxr-xr-x", "root", "root");
      assertMode("/lib/systemd/system/amiboot.service", "rw-r--r--", "root", "root");
      assertMode("/etc/amiboot/amiboot.yml", "rw-r--r--", "root", "root");
      assertMode("/var/lib/amiboot", "rwxr-xr-x", "root", "root");
      assertMode("/var/log/amiboot", "rwxr-xr-x", "root", "root");
      assertMode("/var/cache/amiboot", "rwxr-xr-x", "root", "root");
      assertEquals(md5(JAR), md5(Path.of("/usr/share/amiboot/amiboot.jar")), "the shaded jar");
      assertEquals(Files.readString(SOURCES.resolve("packaging/amiboot.service")),
          Files.readString(Path.of("/lib/systemd/system/amiboot.service")));

      // Two conffiles, as shipped: the example config and the init script.
      assertEquals(Map.of("/etc/amiboot/amiboot.yml", md5(SOURCES.resolve("packaging/amiboot.yml")),
          "/etc/init.d/amiboot", md5(SOURCES.resolve("init.d/amiboot"))), conffiles());

      // Installed disabled: no boot links, no systemd wants link.
      assertEquals(List.of(), bootLinks());

      // The postinst had the launcher build the class-data archives (nothing else has run it yet).
      assertTrue(install.out().contains("building the class-data archive"), install.out());
      for (Path archive : List.of(ARCHIVE, LIGHT_ARCHIVE)) {
        assertTrue(Files.size(archive) > 0, "the postinst built " + archive);
        assertMode(archive.toString(), "r--r--r--", "root", "root");
      }
      assertTrue(Files.size(LIGHT_ARCHIVE) < Files.size(ARCHIVE) * 3 / 4,
          "the readers' archive leaves out what only a boot loads: " + Files.size(LIGHT_ARCHIVE) + " bytes");
      FileTime stamped = Files.getLastModifiedTime(STAMP);
      assertArchiveMaps();

      // /usr/bin/amiboot runs the installed jar, and finds the archive up to date.
      Run versionOut = run(List.of("/usr/bin/amiboot", "--version"));
      assertEquals(0, versionOut.exit(), versionOut.out());
      assertTrue(versionOut.out().startsWith("amiboot " + PROJECT_VERSION + " (Java "), versionOut.out());
      assertEquals(0, run(List.of("/usr/bin/amiboot", "validate", "--help")).exit());
      assertEquals(stamped, Files.getLastModifiedTime(STAMP), "not built again");

      // ... with JAVA and JAVA_OPTS from /etc/default/amiboot, as the init script.
      Path fakeJava = dir.resolve("java");
      Files.writeString(fakeJava,
          "#!/bin/sh\necho \"config: $AMIBOOT_CONFIG\"\nfor a in \"$@\"; do echo \"arg: $a\"; done\n");
      fakeJava.toFile().setExecutable(true);
      Files.writeString(DEFAULTS, "JAVA=" + fakeJava + "\nJAVA_OPTS=\"-Dfrom=defaults -Xss1m\"\nAMIBOOT_CDS=\n"
          + "AMIBOOT_CONFIG=/etc/amiboot/service.yml\n");
      createdDefaults = true;
      Run launched = run(List.of("/usr/bin/amiboot", "status", "--config", "/etc/amiboot/a b.yml"));
      Files.delete(DEFAULTS);
      createdDefaults = false;
      // AMIBOOT_CONFIG reaches amiboot, whose default --config it is (the service's config)
      assertEquals(List.of("config: /etc/amiboot/service.yml", "arg: -Dfrom=defaults", "arg: -Xss1m", "arg: -jar",
          "arg: /usr/share/amiboot/amiboot.jar", "arg: status", "arg: --config", "arg: /etc/amiboot/a b.yml"),
          launched.out().lines().toList());

      // A baker edits the config; amiboot leaves state behind. Then the same package again.
      String edited = Files.readString(CONFIG) + "# edited by the baker\n";
      Files.writeString(CONFIG, edited);
      Files.writeString(Path.of("/var/lib/amiboot/state.json"), "{}\n");
      Run upgrade = dpkg("-i", deb.toString());
      assertEquals(0, upgrade.exit(), "no conffile prompt (stdin is /dev/null): " + upgrade.out());
      assertTrue(upgrade.out().contains("over (" + version + ")"), upgrade.out());
      assertFalse(upgrade.out().contains("Configuration file"), upgrade.out());
      assertEquals(edited, Files.readString(CONFIG), "the edited config is kept");
      assertEquals("{}\n", Files.readString(Path.of("/var/lib/amiboot/state.json")));
      assertEquals("ii ", query("${db:Status-Abbrev}"));
      assertEquals(List.of(), bootLinks(), "an upgrade does not enable it either");
      // the same package again: the same jar (size and time), so the archive still fits it
      assertEquals(stamped, Files.getLastModifiedTime(STAMP), "not built again for the same jar");
      assertArchiveMaps();

      // Remove: the program goes, the config (edited), the init script and the state stay.
      Run remove = dpkg("-r", PACKAGE);
      assertEquals(0, remove.exit(), remove.out());
      assertEquals("rc ", query("${db:Status-Abbrev}"), "removed, config files left");
      for (String gone : List.of("/usr/bin/amiboot", "/usr/share/amiboot", "/lib/systemd/system/amiboot.service",
          "/var/cache/amiboot")) {
        assertTrue(Files.notExists(Path.of(gone)), gone + " removed");
      }
      assertEquals(edited, Files.readString(CONFIG));
      assertTrue(Files.isExecutable(INIT_SCRIPT));
      assertEquals("{}\n", Files.readString(Path.of("/var/lib/amiboot/state.json")));
      // Its init script, left behind, starts nothing and says so (Debian Policy 9.3.2).
      Run start = run(List.of("sh", INIT_SCRIPT.toString(), "start"));
      assertEquals(0, start.exit(), start.out());
      assertTrue(start.out().contains("/usr/share/amiboot/amiboot.jar is missing: not starting"), start.out());

      // Purge: nothing left.
      Run purge = dpkg("-P", PACKAGE);
      assertEquals(0, purge.exit(), purge.out());
      for (Path p : INSTALLED) {
        assertTrue(Files.notExists(p, LinkOption.NOFOLLOW_LINKS), p + " purged");
      }
      assertTrue(notInstalled(), "dpkg no longer knows amiboot");
    } finally {
      if (createdDefaults) {
        Files.deleteIfExists(DEFAULTS);
      }
      purge();
    }
  }

  /**
   * A fleet member keeps serving through the package: an upgrade does not restart amiboot, a
   * removal does not stop it (either would take the instance out of its load balancers); both say
   * so. The packaged init script, run against the packaged jar, starts and stops it.
   */
  @Test
  void aRunningService_isNotRestartedByAnUpgrade_norStoppedByARemoval(@TempDir Path dir) throws Exception {
    Path config = Fixtures.supervisedBox(dir, 1);
    Path log = dir.resolve("amiboot.log");
    Path pidFile = dir.resolve("amiboot.pid");
    long pid = -1;
    try (ImdsStandIn imds = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", null))) {
      // The packaged init script and jar (its defaults); only where it keeps its files is moved to the
      // temp dir. dpkg passes this environment on to the maintainer scripts, which ask the init script.
      Map<String, String> env = new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(),
          "AMIBOOT_CONFIG", config.toString(), "PIDFILE", pidFile.toString(), "AMIBOOT_LOG", log.toString(),
          "STOP_TIMEOUT", "30"));
      assertEquals(0, dpkg(env, "-i", deb.toString()).exit());
      Run start = Fixtures.run(env, List.of("sh", INIT_SCRIPT.toString(), "start"));
      assertEquals(0, start.exit(), start.out());
      await(() -> read(log).contains("\nsupervising (pid"), log);
      pid = Long.parseLong(Files.readString(pidFile).strip());

      Run upgrade = dpkg(env, "-i", deb.toString());
      assertEquals(0, upgrade.exit(), upgrade.out());
      assertTrue(upgrade.out().contains("the running service was not restarted"), upgrade.out());
      assertTrue(alive(pid), "still the same amiboot");

      Run remove = dpkg(env, "-r", PACKAGE);
      assertEquals(0, remove.exit(), remove.out());
      assertTrue(remove.out().contains("still running and was NOT stopped"), remove.out());
      assertTrue(alive(pid), "a removal does not take the instance out of service");
      assertEquals(0, Fixtures.run(env, List.of("sh", INIT_SCRIPT.toString(), "status")).exit(), "running, from the removed jar");

      Run stop = Fixtures.run(env, List.of("sh", INIT_SCRIPT.toString(), "stop"));
      assertEquals(0, stop.exit(), stop.out() + read(log));
      assertFalse(alive(pid), "stopped by its init script, left behind by the removal");
      assertTrue(read(log).contains("stop ok in"), read(log));
    } finally {
      if (pid > 0 && alive(pid)) {
        ProcessHandle.of(pid).ifPresent(amiboot -> {
          amiboot.descendants().forEach(ProcessHandle::destroyForcibly);
          amiboot.destroyForcibly();
        });
      }
      purge();
    }
  }

  /**
   * amiboot validate on the example config, as installed. Skipped until the validate command lands
   * (until amiboot validate --help shows its usage); it then runs with no change here.
   */
  @Test
  void installed_validateAcceptsTheExampleConfig() throws Exception {
    Run help = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
        "validate", "--help"));
    // Without the command, picocli answers "validate --help" with the top-level usage and exit 0.
    Assumptions.assumeTrue(help.exit() == 0 && help.out().contains("Usage: amiboot validate"),
        "amiboot has no validate command yet (amiboot validate --help shows no usage of it)");
    try {
      Run install = dpkg("-i", deb.toString());
      assertEquals(0, install.exit(), install.out());
      Run validate = run(List.of("/usr/bin/amiboot", "validate", "--config", CONFIG.toString()));
      assertEquals(0, validate.exit(), validate.out());
    } finally {
      purge();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The .deb this build made: jdeb sets jdeb.deb, which failsafe passes on. */
  private static Path debFile() throws IOException {
    String property = System.getProperty("amiboot.deb", "");
    if (!property.isEmpty() && !property.contains("${")) {
      return Path.of(property);
    }
    Path newest = null;
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(Path.of("target"), "amiboot_*_all.deb")) {
      for (Path p : debs) {
        if (newest == null || Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(newest)) > 0) {
          newest = p;
        }
      }
    }
    assertTrue(newest != null, "mvn package builds target/amiboot_VERSION_all.deb");
    return newest.toAbsolutePath();
  }

  private String field(String name) throws Exception {
    Run r = run(List.of("dpkg-deb", "-f", deb.toString(), name));
    assertEquals(0, r.exit(), r.out());
    return r.out().strip();
  }

  private static String query(String format) throws Exception {
    return run(List.of("dpkg-query", "-W", "-f=" + format, PACKAGE)).out();
  }

  private static boolean notInstalled() throws Exception {
    Run r = run(List.of("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE));
    return r.exit() != 0 || r.out().strip().equals("not-installed");
  }

  /** dpkg-query's Conffiles: path to md5. */
  private static Map<String, String> conffiles() throws Exception {
    Map<String, String> md5s = new HashMap<>();
    for (String line : query("${Conffiles}").lines().toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2) {
        md5s.put(f[0], f[1]);
      }
    }
    return md5s;
  }

  /** rc?.d links and systemd wants links to amiboot: what enabling it would make. */
  private static List<String> bootLinks() throws IOException {
    List<String> links = new ArrayList<>();
    for (String d : List.of("/etc/rc0.d", "/etc/rc1.d", "/etc/rc2.d", "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d",
        "/etc/rc6.d", "/etc/rcS.d", "/etc/systemd/system/multi-user.target.wants")) {
      Path dir = Path.of(d);
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*amiboot*")) {
          s.forEach(p -> links.add(p.toString()));
        }
      }
    }
    return links;
  }

  private static void assertMode(String path, String mode, String owner, String group) throws IOException {
    PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    assertEquals(mode, PosixFilePermissions.toString(a.permissions()), path);
    assertEquals(owner, a.owner().getName(), path);
    assertEquals(group, a.group().getName(), path);
  }

  private static String md5(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
  }

  /** Purges the package whatever state a test left it in; the machine is then as before. */
  private static void purge() throws Exception {
    if (!notInstalled()) {
      Run purge = dpkg("-P", PACKAGE);
      assertEquals(0, purge.exit(), purge.out());
    }
  }

  private static Run dpkg(String... args) throws Exception {
    return dpkg(Map.of(), args);
  }

  private static Run dpkg(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("dpkg"));
    command.addAll(List.of(args));
    return Fixtures.run(env, command);
  }

  private static Run run(List<String> command) throws Exception {
    return Fixtures.run(Map.of(), command);
  }

  /**
   * Each archive, with the shipped flags, maps into a JVM running the installed jar (-Xshare:on
   * fails otherwise) and classes load from it ("shared objects file (top)" is the archive's layer).
   */
  private static void assertArchiveMaps() throws Exception {
    for (Path archive : List.of(ARCHIVE, LIGHT_ARCHIVE)) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"));
      command.addAll(List.of(Fixtures.javaOptsDefault(Path.of("/usr/bin/amiboot")).split(" ")));
      command.addAll(List.of("-jar", "/usr/share/amiboot/amiboot.jar", "validate", "--help"));
      Run shared = run(command);
      assertEquals(0, shared.exit(), archive + " maps: " + shared.out());
      assertTrue(shared.out().contains("amiboot.cli.Main source: shared objects file (top)"),
          "amiboot's classes come from " + archive);
    }
  }

}
