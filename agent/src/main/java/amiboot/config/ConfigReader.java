package amiboot.config;

import amiboot.io.Utf8Text;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code amiboot.yml} into an {@link AgentConfig}. Unknown keys are rejected (they are
 * typos) and every problem is reported at once, each with its key path and line.
 */
public final class ConfigReader {
  private static final Set<String> TOP = Set.of(
      "user", "deploy_to", "repository", "keep_releases", "hosts_file", "state_dir", "shared",
      "hosts", "role_from", "role", "roles", "metadata");
  private static final Set<String> REPOSITORY = Set.of("type", "url", "username", "password_file", "branch", "revision",
      "revision_from", "branch_from", "timeout");
  private static final Set<String> SHARED = Set.of("dirs", "files");
  private static final Set<String> METADATA = Set.of("timeout");
  private static final Set<String> ROLE = Set.of(
      "start", "stop", "run", "stop_timeout", "port", "env", "start_timeout", "workers", "health", "load_balancer");
  private static final Set<String> WORKERS = Set.of("per_ecu", "default", "count");
  private static final Set<String> HEALTH = Set.of("url", "expect", "timeout");
  private static final Set<String> LOAD_BALANCER = Set.of("classic", "wait_in_service", "in_service_timeout", "drain");

  // Bounds that keep every later computation small (a huge per_ecu overflowed the worker count;
  // 1e400000000 or 1e-400000000 made it spin) and catch typos; no real box needs more.
  static final int MAX_KEEP_RELEASES = 1000;
  static final int MAX_WORKERS = 10_000;
  static final BigDecimal MAX_PER_ECU = BigDecimal.valueOf(1000);
  static final int PER_ECU_DECIMALS = 6;

  /**
   * Directories of the file system itself, never an app's deploy_to: a boot would write releases/,
   * shared/ and current into them (and prune releases/ there). Compared after normalizing, so
   * /etc/../ is /.
   */
  static final Set<Path> SYSTEM_DIRECTORIES = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32",
      "/lib64", "/libx32", "/lost+found", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/snap", "/srv",
      "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/sbin", "/usr/share", "/var", "/var/cache",
      "/var/lib", "/var/log", "/var/run", "/var/tmp").stream().map(Path::of).collect(Collectors.toUnmodifiableSet());

  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]*\\$?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public AgentConfig read(Path file) throws BadInputException {
    return parse(text(file), file);
  }

  /** Reads {@code file} without stopping at its problems: every one of them, for {@code amiboot validate}. */
  public ConfigCheck check(Path file) throws BadInputException {
    return check(text(file), file);
  }

  private static String text(Path file) throws BadInputException {
    try {
      // A FIFO (or a device) would block the read until someone writes to it: refuse it unopened.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new BadInputException("config " + file + " is " + (attributes.isDirectory() ? "a directory" : "not a regular file")
            + " (a FIFO, a device, ...): give the YAML file with --config FILE");
      }
      return Utf8Text.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException("config file not found (" + file + "): create it or pass --config FILE");
    } catch (AccessDeniedException e) {
      throw new BadInputException("cannot read config file (" + file + "): permission denied; run amiboot as root"
          + " or make the file readable");
    } catch (IOException e) {
      throw new BadInputException("cannot read config file (" + file + "): " + Messages.describe(e));
    } catch (Utf8Text.InvalidUtf8Exception e) {
      throw new BadInputException("config " + file + " is " + e.getMessage() + ": save it as UTF-8");
    }
  }

  public AgentConfig parse(String text, Path source) throws BadInputException {
    YamlNode root;
    try {
      root = new YamlTree().parse(text);
    } catch (YamlTree.SecondDocumentException e) {
      throw new BadInputException("config " + source + " must be one YAML document, but a second one starts at line "
          + e.line() + ": remove the '---' before it, or merge the two");
    } catch (YamlTree.AliasException e) {
      throw new BadInputException("config " + source + ":" + e.line() + ": " + e.getMessage());
    } catch (YamlTree.YamlSyntaxException e) {
      throw new BadInputException("config " + source + " is not valid YAML (line " + e.line() + "): " + e.getMessage());
    }
    Problems problems = new Problems();
    if (!(root instanceof YamlNode.Mapping mapping)) {
      throw new BadInputException("config " + source + " must be a YAML mapping of keys (deploy_to, repository, roles, ...)");
    }
    AgentConfig config = read(new Fields(mapping, "", problems, TOP), source);
    if (!problems.isEmpty()) {
      List<String> list = problems.list();
      String count = list.size() == 1 ? "a problem" : list.size() + " problems";
      throw new BadInputException("config " + source + " has " + count + ": " + String.join("; ", list));
    }
    return config;
  }

  /**
   * Like {@link #parse}, but returns every problem instead of throwing, with the config as far as
   * it could be read: keys with problems keep their defaults.
   */
  public ConfigCheck check(String text, Path source) {
    YamlNode root;
    try {
      root = new YamlTree().parse(text);
    } catch (YamlTree.SecondDocumentException e) {
      return unreadable(e.line(), "a second YAML document starts here (after '---'): remove the '---' before it, or merge the two");
    } catch (YamlTree.AliasException e) {
      return unreadable(e.line(), e.getMessage());
    } catch (YamlTree.YamlSyntaxException e) {
      return unreadable(e.line(), "not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof YamlNode.Mapping mapping)) {
      return unreadable(root.line(), "must be a YAML mapping of keys (deploy_to, repository, roles, ...)");
    }
    Problems problems = new Problems();
    AgentConfig config = read(new Fields(mapping, "", problems, TOP), source);
    return new ConfigCheck(Optional.of(config), problems.all(), new KeyLines(mapping));
  }

  private static ConfigCheck unreadable(int line, String message) {
    return new ConfigCheck(Optional.empty(), List.of(new ConfigProblem(line, "", message)), KeyLines.none());
  }

  private AgentConfig read(Fields top, Path source) {
    Optional<String> user = top.plain("user");
    user.filter(u -> !USER_NAME.matcher(u).matches())
        .ifPresent(u -> top.problems().add(top.lineOf("user"), "user", "'" + u + "' is not a user name"));
    Optional<Path> deployTo = top.absolutePath("deploy_to");
    deployTo.filter(SYSTEM_DIRECTORIES::contains).ifPresent(d -> top.problems().add(top.lineOf("deploy_to"), "deploy_to",
        "'" + d + "' is a system directory: releases/, shared/ and current would be written into it;"
            + " give the app's own directory (like /home/payroll or /srv/payroll)"));
    if (!top.has("deploy_to")) {
      top.problems().add(top.line(), "deploy_to", "is required (the directory holding releases/, shared/, current)");
    }
    RepositoryConfig repository = readRepository(top);
    int keep = top.integer("keep_releases", 1, MAX_KEEP_RELEASES).orElse(AgentConfig.DEFAULT_KEEP_RELEASES);
    Path hostsFile = top.absolutePath("hosts_file").orElse(AgentConfig.DEFAULT_HOSTS_FILE);
    Path stateDir = top.absolutePath("state_dir").orElse(AgentConfig.DEFAULT_STATE_DIR);
    SharedConfig shared = readShared(top);
    Map<String, Template> hosts = readHosts(top);
    Optional<String> roleFrom = top.plain("role_from");
    roleFrom.filter(k -> !UserData.KEY.matcher(k).matches()).ifPresent(k ->
        top.problems().add(top.lineOf("role_from"), "role_from", "'" + k + "' is not a user-data key name"));
    Optional<String> role = top.plain("role");
    Map<String, RoleConfig> roles = readRoles(top);
    if (roleFrom.isPresent() && role.isPresent()) {
      top.problems().add(top.lineOf("role"), "role", "give role (fixed) or role_from (from user-data), not both");
    }
    role.filter(r -> !roles.isEmpty() && !roles.containsKey(r)).ifPresent(r ->
        top.problems().add(top.lineOf("role"), "role", "'" + r + "' is not one of roles: " + String.join(", ", roles.keySet())));
    if (roleFrom.isEmpty() && role.isEmpty() && roles.size() > 1) {
      top.problems().add(top.line(), "role_from", "is required when there is more than one role (or give role:)");
    }
    var metadataTimeout = top.node("metadata")
        .flatMap(n -> Fields.of(n, "metadata", top.problems(), METADATA))
        .flatMap(f -> f.duration("timeout"))
        .orElse(AgentConfig.DEFAULT_METADATA_TIMEOUT);
    return new AgentConfig(source, user, deployTo.orElse(Path.of("/")), repository, keep, hostsFile, stateDir,
        shared, hosts, roleFrom, role, roles, metadataTimeout);
  }

  private RepositoryConfig readRepository(Fields top) {
    Optional<Fields> fields = top.node("repository").flatMap(n -> Fields.of(n, "repository", top.problems(), REPOSITORY));
    if (fields.isEmpty()) {
      if (!top.has("repository")) {
        top.problems().add(top.line(), "repository", "is required (type: git|svn, url: ...)");
      }
      return new RepositoryConfig(RepositoryType.GIT, Template.literal(""), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), RepositoryConfig.DEFAULT_TIMEOUT);
    }
    Fields f = fields.get();
    String typeText = f.required("type");
    RepositoryType type = RepositoryType.GIT;
    switch (typeText.toLowerCase(Locale.ROOT)) {
      case "git" -> type = RepositoryType.GIT;
      case "svn", "subversion" -> type = RepositoryType.SVN;
      case "" -> { }
      default -> f.problems().add(f.lineOf("type"), f.at("type"), "must be git or svn, not '" + typeText + "'");
    }
    String urlText = f.required("url");
    Template url;
    if (RepositoryUrls.holdsPassword(urlText)) {
      // Never parsed further: any other message about it would quote the password.
      f.problems().add(f.lineOf("url"), f.at("url"),
          "holds a password; put it in password_file so that it stays out of logs and process listings"
              + " (if it holds none, write any '@' in its path as %40)");
      url = Template.literal("");
    } else {
      if (!urlText.isEmpty() && !urlText.contains("${") && !RepositoryUrls.looksLikeRepository(urlText, type)) {
        f.problems().add(f.lineOf("url"), f.at("url"), type == RepositoryType.SVN
            ? "is not a repository URL: Subversion needs scheme://host/path (svn://, http://, https://, file:///)"
            : "is not a repository URL: give scheme://host/path, user@host:path or an absolute path");
      }
      url = f.parseTemplate(urlText, f.lineOf("url"), f.at("url")).orElse(Template.literal(urlText));
    }
    Optional<Template> branch = f.template("branch");
    if (branch.isPresent() && type == RepositoryType.SVN) {
      f.problems().add(f.lineOf("branch"), f.at("branch"), "is for git; for svn put the branch in the url");
    }
    Optional<Path> passwordFile = f.absolutePath("password_file");
    if (f.has("password_file") && !f.has("username")) {
      // It used to be dropped without a word: no credentials went to the repository at all.
      f.problems().add(f.lineOf("password_file"), f.at("password_file"),
          "needs username (the account the password is for): add repository.username");
    }
    Optional<String> branchFrom = userDataKey(f, "branch_from");
    if (branchFrom.isPresent() && type == RepositoryType.SVN) {
      f.problems().add(f.lineOf("branch_from"), f.at("branch_from"), "is for git; for svn put the branch in the url");
    }
    return new RepositoryConfig(type, url, f.template("username"), passwordFile, branch, f.template("revision"),
        userDataKey(f, "revision_from"), branchFrom, f.duration("timeout").orElse(RepositoryConfig.DEFAULT_TIMEOUT));
  }

  /** A key naming a user-data key (role_from, revision_from, ...). */
  private static Optional<String> userDataKey(Fields f, String key) {
    Optional<String> name = f.plain(key);
    name.filter(k -> !UserData.KEY.matcher(k).matches()).ifPresent(k ->
        f.problems().add(f.lineOf(key), f.at(key), "'" + k + "' is not a user-data key name"));
    return name;
  }

  private SharedConfig readShared(Fields top) {
    return top.node("shared").flatMap(n -> Fields.of(n, "shared", top.problems(), SHARED)).map(f ->
        new SharedConfig(relativePaths(f, "dirs"), relativePaths(f, "files"))).orElse(SharedConfig.none());
  }

  private List<String> relativePaths(Fields f, String key) {
    List<String> paths = f.strings(key);
    for (String p : paths) {
      Path path = Path.of(p).normalize();
      if (p.isBlank() || path.isAbsolute() || path.startsWith("..") || p.contains("${")) {
        f.problems().add(f.lineOf(key), f.at(key), "'" + p + "' must be a path inside the release (relative, no ..)");
      }
    }
    return paths.stream().map(p -> Path.of(p).normalize().toString()).toList();
  }

  private Map<String, Template> readHosts(Fields top) {
    Map<String, Template> hosts = new LinkedHashMap<>();
    top.entries("hosts").forEach((name, node) -> {
      String where = "hosts." + name;
      if (!HOST_NAME.matcher(name).matches()) {
        top.problems().add(node.line(), where, "'" + name + "' is not a host name");
      } else if (node instanceof YamlNode.Scalar s && s.text() != null && !s.text().isBlank()) {
        top.parseTemplate(s.text(), node.line(), where).ifPresent(t -> hosts.put(name, t));
      } else {
        top.problems().add(node.line(), where, "must be an address or ${VARIABLE}");
      }
    });
    return hosts;
  }

  private Map<String, RoleConfig> readRoles(Fields top) {
    Map<String, RoleConfig> roles = new LinkedHashMap<>();
    Map<String, YamlNode> entries = top.entries("roles");
    if (entries.isEmpty()) {
      top.problems().add(top.lineOf("roles"), "roles", "is required: at least one role (app, job, ...)");
    }
    entries.forEach((name, node) -> {
      String where = "roles." + name;
      if (!ROLE_NAME.matcher(name).matches()) {
        top.problems().add(node.line(), where, "'" + name + "' is not a role name (a-z, 0-9, _ and -)");
        return;
      }
      if (node instanceof YamlNode.Scalar s && s.text() == null) {
        roles.put(name, emptyRole(name));
        return;
      }
      Fields.of(node, where, top.problems(), ROLE).ifPresent(f -> roles.put(name, readRole(name, f)));
    });
    return roles;
  }

  private static RoleConfig emptyRole(String name) {
    return new RoleConfig(name, List.of(), List.of(), Map.of(), RoleConfig.DEFAULT_START_TIMEOUT,
        Optional.empty(), Optional.empty(), Optional.empty(), Foreground.none());
  }

  private RoleConfig readRole(String name, Fields f) {
    List<Template> start = f.templates("start");
    List<Template> stop = f.templates("stop");
    Map<String, Template> env = new LinkedHashMap<>();
    f.entries("env").forEach((key, node) -> {
      String where = f.at("env") + "." + key;
      if (!ENV_NAME.matcher(key).matches()) {
        f.problems().add(node.line(), where, "'" + key + "' is not an environment variable name");
      } else if (node instanceof YamlNode.Scalar s) {
        f.parseTemplate(s.text() == null ? "" : s.text(), node.line(), where).ifPresent(t -> env.put(key, t));
      } else {
        f.problems().add(node.line(), where, "must be a single value");
      }
    });
    var startTimeout = f.duration("start_timeout").orElse(RoleConfig.DEFAULT_START_TIMEOUT);
    Optional<WorkersConfig> workers = f.node("workers").flatMap(n -> Fields.of(n, f.at("workers"), f.problems(), WORKERS))
        .map(this::readWorkers);
    Optional<HealthConfig> health = f.node("health").flatMap(n -> Fields.of(n, f.at("health"), f.problems(), HEALTH))
        .map(this::readHealth);
    Optional<LoadBalancerConfig> lb = f.node("load_balancer")
        .flatMap(n -> Fields.of(n, f.at("load_balancer"), f.problems(), LOAD_BALANCER))
        .map(this::readLoadBalancer);
    List<Template> run = f.templates("run");
    if (!run.isEmpty() && (!start.isEmpty() || !stop.isEmpty())) {
      f.problems().add(f.lineOf("run"), f.at("run"),
          "is a foreground command amiboot supervises: give run, or start/stop commands that daemonize, not both");
    }
    Foreground foreground = new Foreground(run, f.duration("stop_timeout").orElse(Foreground.DEFAULT_STOP_TIMEOUT),
        f.integer("port", 1, 65535).orElse(Foreground.DEFAULT_PORT));
    return new RoleConfig(name, start, stop, env, startTimeout, workers, health, lb, foreground);
  }

  private WorkersConfig readWorkers(Fields f) {
    WorkersConfig workers = new WorkersConfig(f.positiveNumber("per_ecu", MAX_PER_ECU, PER_ECU_DECIMALS),
        f.integer("default", 1, MAX_WORKERS), f.integer("count", 1, MAX_WORKERS));
    // What was written, not what parsed: a bad per_ecu is its own problem, not also "give count".
    if (f.has("count") && (f.has("per_ecu") || f.has("default"))) {
      f.problems().add(f.lineOf("count"), f.at("count"), "fixes the number outright: leave out per_ecu and default");
    }
    if (!f.has("count") && !f.has("per_ecu") && !f.has("default")) {
      f.problems().add(f.line(), f.at("count"), "give count, or per_ecu (and default for unknown instance types)");
    }
    return workers;
  }

  private HealthConfig readHealth(Fields f) {
    String urlText = f.required("url");
    Template url = f.parseTemplate(urlText, f.lineOf("url"), f.at("url")).orElse(Template.literal(urlText));
    if (!urlText.isEmpty() && !urlText.matches("(?i)https?://.+")) {
      f.problems().add(f.lineOf("url"), f.at("url"), "must be an http:// or https:// URL, not '" + urlText + "'");
    }
    return new HealthConfig(url, f.string("expect").filter(s -> !s.isEmpty()),
        f.duration("timeout").orElse(HealthConfig.DEFAULT_TIMEOUT));
  }

  private LoadBalancerConfig readLoadBalancer(Fields f) {
    List<Template> classic = f.templates("classic");
    if (classic.isEmpty()) {
      f.problems().add(f.line(), f.at("classic"), "list the classic load balancer names");
    }
    return new LoadBalancerConfig(classic, f.bool("wait_in_service").orElse(false),
        f.duration("in_service_timeout").orElse(LoadBalancerConfig.DEFAULT_IN_SERVICE_TIMEOUT),
        f.duration("drain").orElse(LoadBalancerConfig.DEFAULT_DRAIN));
  }
}
