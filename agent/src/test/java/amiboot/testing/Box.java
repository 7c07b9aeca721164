package amiboot.testing;

import amiboot.simulate.ImdsStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A pretend instance in a temp directory: its own /etc/hosts, /home/payroll (deploy_to) and
 * /var/lib/amiboot (state_dir) under {@code root}, a metadata stand-in, and the environment that
 * points amiboot at the stand-ins. {@link #close()} kills whatever the boot started.
 */
public final class Box implements AutoCloseable {
  public static final String HOSTS_BEFORE = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# added by hand\n10.0.0.5 dbhost\n";

  public final Path root;
  public final Path hostsFile;
  public final Path deployTo;
  public final Path stateDir;
  public final Path config;
  public final int appPort;
  private final Map<String, String> env = new HashMap<>();
  private ImdsStandIn imds;

  public Box(Path root) {
    this.root = root;
    this.hostsFile = root.resolve("etc/hosts");
    this.deployTo = root.resolve("home/payroll");
    this.stateDir = root.resolve("var/lib/amiboot");
    this.config = root.resolve("etc/amiboot/amiboot.yml");
    this.appPort = Ports.free();
    try {
      Files.createDirectories(hostsFile.getParent());
      Files.writeString(hostsFile, HOSTS_BEFORE, StandardCharsets.UTF_8);
      Path databaseYml = deployTo.resolve("shared/config/database.yml");
      Files.createDirectories(databaseYml.getParent());
      Files.writeString(databaseYml, "production:\n  host: dbhost\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves this instance's metadata: the given type and user-data (null for none). */
  public Box instance(String instanceType, String userData) {
    return instance(ImdsStandIn.Instance.of(instanceType, userData));
  }

  /** Serves {@code instance}'s metadata (user-data as bytes, gzip-compressed say). */
  public Box instance(ImdsStandIn.Instance instance) {
    try {
      if (imds != null) {
        imds.close();
      }
      imds = ImdsStandIn.start(instance);
      env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ImdsStandIn imds() {
    return imds;
  }

  public Box env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Points the ELB client at a stand-in, with test credentials. */
  public Box loadBalancerEndpoint(String endpoint) {
    env.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", endpoint);
    env.put("AWS_ACCESS_KEY_ID", "AKIDTESTEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "test-secret-key");
    return this;
  }

  /** The SmallPayroll config of the design, re-rooted into this box, with {@code repository} as given. */
  public Box config(String repositoryYaml) {
    return configText(smallPayrollConfig(repositoryYaml, ""));
  }

  public String smallPayrollConfig(String repositoryYaml, String appExtra) {
    return "deploy_to: " + deployTo + "\n"
        + "repository:\n" + repositoryYaml.indent(2)
        + "keep_releases: 3\n"
        + "hosts_file: " + hostsFile + "\n"
        + "state_dir: " + stateDir + "\n"
        + "shared: { dirs: [log, tmp/pids], files: [config/database.yml] }\n"
        + "hosts:\n  dbhost: ${DB}\n"
        + "role_from: ROLE\n"
        + "roles:\n"
        + "  app:\n"
        + "    start: [\"${current}/script/server\", start, -p, \"" + appPort + "\"]\n"
        + "    stop: [\"${current}/script/server\", stop]\n"
        + "    health: { url: \"http://127.0.0.1:" + appPort + "/\", expect: welcome, timeout: 60s }\n"
        + "    load_balancer: { classic: [smallpayroll-http], drain: 1s }\n"
        + appExtra
        + "  job:\n"
        + "    workers: { per_ecu: 2, default: 2 }\n"
        + "    start: [\"${current}/script/delayed_job\", -n, \"${workers}\", start]\n"
        + "    stop: [\"${current}/script/delayed_job\", stop]\n"
        + "    env: { RAILS_ENV: production }\n";
  }

  public Box configText(String yaml) {
    try {
      Files.createDirectories(config.getParent());
      Files.writeString(config, yaml, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CliProcess.Result run(String... args) {
    CliProcess.Result result = CliProcess.run(root.resolve("work"), env, Duration.ofMinutes(3), args);
    return new CliProcess.Result(result.exitCode(), result.stdout(), result.stderr(), appLogs());
  }

  /** Starts amiboot with {@code args} and returns at once (to read its progress and kill it). */
  public Process start(String... args) {
    return CliProcess.start(root.resolve("work"), env, args);
  }

  /** Like {@link #start(String...)}, with amiboot's stderr written to {@code stderr}. */
  public Process startWithStderrTo(Path stderr, String... args) {
    return CliProcess.start(root.resolve("work"), env, ProcessBuilder.Redirect.to(stderr.toFile()), args);
  }

  /** The app's own logs (shared/log), shown when an assertion on a run fails. */
  private String appLogs() {
    Path logs = deployTo.resolve("shared/log");
    if (!Files.isDirectory(logs)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : (Iterable<Path>) files.sorted()::iterator) {
        String text = read(log);
        out.append("--- ").append(log.getFileName()).append('\n')
            .append(text.length() > 2000 ? text.substring(text.length() - 2000) : text);
      }
    } catch (IOException | UncheckedIOException e) {
      out.append("(cannot read ").append(logs).append(": ").append(e.getMessage()).append(")\n");
    }
    return out.toString();
  }

  /** {@code amiboot boot --config <this box's config>} */
  public CliProcess.Result boot(String... extra) {
    String[] args = Stream.concat(Stream.of("boot", "--config", config.toString()), Stream.of(extra)).toArray(String[]::new);
    return run(args);
  }

  public String hosts() {
    return read(hostsFile);
  }

  public Path current() {
    return deployTo.resolve("current");
  }

  public Optional<Path> currentTarget() {
    try {
      return Optional.of(Files.readSymbolicLink(current()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public List<String> releases() {
    Path dir = deployTo.resolve("releases");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every path under the root (except the CLI's work dir) with its size or link target: a change detector. */
  public Map<String, String> snapshot() {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.startsWith(root.resolve("work"))).forEach(p -> all.put(root.relativize(p).toString(), describe(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static String describe(Path p) {
    try {
      if (Files.isSymbolicLink(p)) {
        return "-> " + Files.readSymbolicLink(p);
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return "dir";
      }
      return Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pids from the app's pid files (shared/tmp/pids). */
  public List<Long> pids() {
    Path dir = deployTo.resolve("shared/tmp/pids");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".pid")).map(p -> read(p).trim())
          .filter(t -> t.matches("\\d+")).map(Long::parseLong).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pid in {@code shared/tmp/pids/NAME.pid} (a supervised worker is {@code role.N}); 0 while there is none. */
  public long pidOrZero(String name) {
    try {
      return Long.parseLong(Files.readString(deployTo.resolve("shared/tmp/pids/" + name + ".pid")).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  public static boolean alive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** A file under deploy_to, or "" while it is not there. */
  public String readDeployed(String path) {
    Path file = deployTo.resolve(path);
    return Files.exists(file) ? read(file) : "";
  }

  /** A pid that is running (not a zombie) and whose command line contains {@code text}. */
  public static boolean running(long pid, String text) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
      return state != 'Z' && cmdline.contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    if (imds != null) {
      imds.close();
    }
  }
}
