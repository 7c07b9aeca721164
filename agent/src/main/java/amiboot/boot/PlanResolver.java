package amiboot.boot;

import amiboot.config.AgentConfig;
import amiboot.config.LoadBalancerConfig;
import amiboot.config.RepositoryConfig;
import amiboot.config.RepositoryUrls;
import amiboot.config.RoleConfig;
import amiboot.config.Suggest;
import amiboot.config.Template;
import amiboot.config.UserData;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.SourceSpec;
import amiboot.hosts.HostsEntry;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.Messages;
import amiboot.process.InstanceTypes;
import amiboot.process.WorkerCount;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Applies user-data and metadata to the config. Every problem (an unknown role, an undefined
 * variable, a value that is not what its place needs) is found here and reported at once, before
 * the box is touched.
 */
public final class PlanResolver {
  /** A commit id, tag, branch or svn revision number: no option, no path escape, no expression. */
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
  /** The variables amiboot defines itself; every other name comes from user-data. */
  private static final List<String> BUILT_IN = List.of("current", "release", "shared", "workers", "instance_id",
      "instance_type", "region", "availability_zone", "local_ipv4");
  private static final Pattern LB_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

  private final InstanceTypes instanceTypes;

  public PlanResolver(InstanceTypes instanceTypes) {
    this.instanceTypes = instanceTypes;
  }

  public BootPlan resolve(AgentConfig config, InstanceIdentity instance, UserData userData, String releaseId)
      throws BadInputException {
    return resolve(config, instance, userData, releaseId, Pins.none());
  }

  /** As above, with what to deploy pinned by the command line. */
  public BootPlan resolve(AgentConfig config, InstanceIdentity instance, UserData userData, String releaseId, Pins pins)
      throws BadInputException {
    Resolution resolution = check(config, instance, userData, releaseId, pins);
    if (resolution.plan().isPresent()) {
      return resolution.plan().get();
    }
    List<String> problems = resolution.problems().stream().map(PlanProblem::text).toList();
    if (resolution.role().isEmpty()) {
      throw new BadInputException(String.join("; ", problems));
    }
    String count = problems.size() == 1 ? "" : " (" + problems.size() + " problems)";
    throw new BadInputException("config " + config.source() + " with this user-data" + count + ": " + String.join("; ", problems));
  }

  /** As {@link #resolve}, but returns every problem instead of throwing. */
  public Resolution check(AgentConfig config, InstanceIdentity instance, UserData userData, String releaseId, Pins pins) {
    List<PlanProblem> problems = new ArrayList<>();
    String role = pickRole(config, userData, problems);
    if (!config.roles().containsKey(role)) {
      return new Resolution(Optional.empty(), Optional.empty(), problems);
    }
    return checkRole(config, role, instance, userData, releaseId, pins);
  }

  /** Resolves the config for {@code role}, whatever user-data would pick ({@code amiboot validate} checks every role). */
  public Resolution checkRole(AgentConfig config, String role, InstanceIdentity instance, UserData userData,
      String releaseId, Pins pins) {
    RoleConfig roleConfig = config.roles().get(role);
    if (roleConfig == null) {
      throw new IllegalArgumentException("no role " + role);
    }
    List<PlanProblem> problems = new ArrayList<>();
    ReleaseLayout layout = new ReleaseLayout(config.deployTo());
    Optional<WorkerCount> workers = roleConfig.workers().map(w -> WorkerCount.of(w, instance.instanceType(), instanceTypes));
    Map<String, String> vars = variables(instance, userData, layout, releaseId, workers);

    Renderer r = new Renderer(vars, userData, problems, roleConfig);
    List<HostsEntry> hosts = new ArrayList<>();
    config.hosts().forEach((name, template) -> r.render("hosts." + name, template).ifPresent(address -> {
      if (HostsEntry.isAddress(address)) {
        hosts.add(new HostsEntry(address, name));
      } else {
        problems.add(PlanProblem.of("hosts." + name,
            "hosts." + name + ": '" + shown(address) + "'" + r.origin(template) + " is not an IP address"));
      }
    }));
    SourceSpec source = source(config.repository(), r, pinned(config.repository(), userData, pins, problems));
    if (RepositoryUrls.holdsPassword(source.url())) {
      // A user-data value put it there; never shown.
      problems.add(PlanProblem.of("repository.url",
          "repository.url holds a password once its variables are filled in: use password_file"));
    }
    String rolePath = "roles." + role;
    List<String> start = r.renderAll(rolePath + ".start", roleConfig.start());
    List<String> stop = r.renderAll(rolePath + ".stop", roleConfig.stop());
    Optional<BootPlan.Supervised> supervised = Optional.empty();
    if (roleConfig.foreground().supervised()) {
      var fg = roleConfig.foreground();
      supervised = Optional.of(new BootPlan.Supervised(r.renderAll(rolePath + ".run", fg.run()),
          workers.map(WorkerCount::count).orElse(1), fg.stopTimeout(), fg.port()));
    }
    Map<String, String> env = new LinkedHashMap<>();
    roleConfig.env().forEach((k, t) -> r.render(rolePath + ".env." + k, t).ifPresent(v -> env.put(k, v)));
    Optional<BootPlan.Health> health = roleConfig.health().flatMap(h -> r.render(rolePath + ".health.url", h.url())
        .flatMap(url -> uri(url, rolePath + ".health.url", problems))
        .map(uri -> new BootPlan.Health(uri, h.expect(), h.timeout())));
    Optional<BootPlan.LoadBalancers> lbs = roleConfig.loadBalancer().map(lb -> loadBalancers(lb, rolePath, r, problems));
    if (!problems.isEmpty()) {
      return new Resolution(Optional.of(role), Optional.empty(), problems);
    }
    return new Resolution(Optional.of(role), Optional.of(new BootPlan(instance, role, config.user(), config.hostsFile(),
        hosts, layout, releaseId, config.shared(), config.keepReleases(), source, start, stop, env,
        roleConfig.startTimeout(), workers, health, lbs, supervised)), problems);
  }

  /** The role user-data (or the config) picks; "" with a problem when none. */
  static String pickRole(AgentConfig config, UserData userData, List<PlanProblem> problems) {
    if (config.role().isPresent()) {
      return config.role().get();
    }
    if (config.roleFrom().isEmpty()) {
      // A single role (checked when reading; a config read with problems may have none).
      return config.roles().keySet().stream().findFirst().orElse("");
    }
    String key = config.roleFrom().get();
    String value = userData.values().get(key);
    String known = String.join(", ", config.roles().keySet());
    if (value == null) {
      problems.add(new PlanProblem("role_from",
          "user-data has no " + key + " (role_from): give " + key + "=" + String.join("|", config.roles().keySet()), Set.of(key)));
      return "";
    }
    if (!config.roles().containsKey(value)) {
      problems.add(PlanProblem.of("role_from",
          "user-data " + key + "='" + shown(value) + "' is not a configured role (roles: " + known + ")"));
      return "";
    }
    return value;
  }

  private static Map<String, String> variables(InstanceIdentity instance, UserData userData, ReleaseLayout layout,
      String releaseId, Optional<WorkerCount> workers) {
    Map<String, String> vars = new LinkedHashMap<>(userData.values());
    // Built-in names win over user-data keys of the same name.
    vars.put("current", layout.current().toString());
    vars.put("release", layout.release(releaseId).toString());
    vars.put("shared", layout.shared().toString());
    vars.put("instance_id", instance.instanceId());
    vars.put("instance_type", instance.instanceType());
    vars.put("region", instance.region());
    vars.put("availability_zone", instance.availabilityZone());
    vars.put("local_ipv4", instance.localIpv4());
    workers.ifPresent(w -> vars.put("workers", Integer.toString(w.count())));
    return vars;
  }

  private static SourceSpec source(RepositoryConfig repo, Renderer r, Pins pinned) {
    Optional<String> branch = repo.branch().flatMap(t -> r.render("repository.branch", t));
    Optional<String> revision = repo.revision().flatMap(t -> r.render("repository.revision", t));
    if (pinned.any()) {
      branch = pinned.branch();
      revision = pinned.revision();
    }
    return new SourceSpec(repo.type(), r.render("repository.url", repo.url()).orElse(""),
        repo.username().flatMap(t -> r.render("repository.username", t)), repo.passwordFile(), branch, revision);
  }

  /**
   * The revision and branch pinned by the command line or, through revision_from/branch_from, by
   * user-data. The highest level that pins anything decides both: `deploy --branch hotfix` means
   * that branch's head, not a revision user-data or the config names. Values name a revision,
   * never anything else: checked here, before the box is touched.
   */
  private static Pins pinned(RepositoryConfig repo, UserData userData, Pins cli, List<PlanProblem> problems) {
    Pins userDataPins = new Pins(
        repo.revisionFrom().flatMap(k -> Optional.ofNullable(userData.values().get(k))
            .map(v -> checkedRef("repository.revision_from", "user-data " + k + " (revision_from)", v, problems))),
        repo.branchFrom().flatMap(k -> Optional.ofNullable(userData.values().get(k))
            .map(v -> checkedRef("repository.branch_from", "user-data " + k + " (branch_from)", v, problems))));
    Pins cliPins = new Pins(cli.revision().map(v -> checkedRef("", "--revision", v, problems)),
        cli.branch().map(v -> checkedRef("", "--branch", v, problems)));
    Pins pins = cliPins.any() ? cliPins : userDataPins;
    if (pins.branch().isPresent() && repo.type() == amiboot.config.RepositoryType.SVN) {
      problems.add(PlanProblem.of(cliPins.any() ? "" : "repository.branch_from",
          "a branch is for git; for svn put the branch in repository.url"));
    }
    return pins;
  }

  private static String checkedRef(String key, String where, String value, List<PlanProblem> problems) {
    if (!REF.matcher(value).matches() || value.contains("..")) {
      problems.add(PlanProblem.of(key, where + ": '" + shown(value) + "' is not a revision, tag or branch name"));
    }
    return value;
  }

  private static BootPlan.LoadBalancers loadBalancers(LoadBalancerConfig lb, String rolePath, Renderer r,
      List<PlanProblem> problems) {
    String where = rolePath + ".load_balancer.classic";
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lb.classic().size(); i++) {
      String item = where + "[" + i + "]";
      r.render(item, lb.classic().get(i)).ifPresent(name -> {
        names.add(name);
        if (!LB_NAME.matcher(name).matches()) {
          problems.add(PlanProblem.of(item, where + ": '" + shown(name) + "' is not a load balancer name"));
        }
      });
    }
    return new BootPlan.LoadBalancers(names, lb.waitInService(), lb.inServiceTimeout(), lb.drain());
  }

  private static Optional<URI> uri(String text, String where, List<PlanProblem> problems) {
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null) {
        throw new URISyntaxException(text, "no host");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.add(PlanProblem.of(where, where + ": '" + shown(text) + "' is not a URL"));
      return Optional.empty();
    }
  }

  static String shown(String text) {
    return Messages.shown(text, 60);
  }

  /** Renders templates, recording undefined variables as problems instead of failing at the first. */
  private static final class Renderer {
    private final Map<String, String> vars;
    private final UserData userData;
    private final List<PlanProblem> problems;
    private final RoleConfig role;

    Renderer(Map<String, String> vars, UserData userData, List<PlanProblem> problems, RoleConfig role) {
      this.vars = vars;
      this.userData = userData;
      this.problems = problems;
      this.role = role;
    }

    Optional<String> render(String where, Template template) {
      boolean ok = true;
      for (String name : template.variables()) {
        if (vars.containsKey(name)) {
          continue;
        }
        ok = false;
        if (name.equals("workers")) {
          problems.add(PlanProblem.of(where, where + ": ${workers} needs roles." + role.name() + ".workers (count or per_ecu)"));
        } else {
          String has = userData.isEmpty() ? "there is no user-data" : "user-data has " + new TreeSet<>(userData.values().keySet());
          Set<String> known = new LinkedHashSet<>(BUILT_IN);
          known.addAll(vars.keySet());
          Optional<String> typo = Suggest.closest(name, known);
          String hint = typo.map(t -> "did you mean ${" + t + "}? ").orElse("");
          // A near miss of a built-in name is a typo whatever the user-data; any other name is a user-data key.
          boolean builtInTypo = typo.filter(BUILT_IN::contains).isPresent();
          problems.add(new PlanProblem(where, where + ": ${" + name + "} is not defined (" + hint + has + ")",
              builtInTypo ? Set.of() : Set.of(name)));
        }
      }
      return ok ? Optional.of(template.render(vars)) : Optional.empty();
    }

    List<String> renderAll(String where, List<Template> templates) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < templates.size(); i++) {
        render(where + "[" + i + "]", templates.get(i)).ifPresent(out::add);
      }
      return out;
    }

    /** " (from user-data DB)" when the value came from user-data, for messages. */
    String origin(Template template) {
      List<String> fromUserData = template.variables().stream().filter(userData.values()::containsKey).toList();
      return fromUserData.isEmpty() ? "" : " (from user-data " + String.join(", ", fromUserData) + ")";
    }
  }
}
