package amiboot.boot;

import amiboot.boot.Findings.Need;
import amiboot.config.AgentConfig;
import amiboot.config.ConfigCheck;
import amiboot.config.ConfigProblem;
import amiboot.config.RoleConfig;
import amiboot.config.UserData;
import amiboot.metadata.RawUserData;
import amiboot.config.WorkersConfig;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.Messages;
import amiboot.process.InstanceTypes;
import amiboot.process.RunAs;
import amiboot.process.WorkerCount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code amiboot validate}: every problem a boot would stop at with this config (and, when given,
 * this user-data and instance type), found off the box: no metadata service, no repository,
 * nothing written. The config reader reads; {@link PlanResolver} resolves, once per role; this
 * class gives each problem its line and says what it could not check without user-data or an
 * instance type.
 */
public final class Validation {
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  /**
   * Stand-ins for what the metadata service gives a boot, each valid of its kind (an instance id,
   * an IP address) so that only what the config does with them is checked. Never printed.
   */
  private static final String PLACEHOLDER_TYPE = "m1.small";
  private static final String PLACEHOLDER_RELEASE = "19700101000000";

  private final InstanceTypes instanceTypes;

  public Validation(InstanceTypes instanceTypes) {
    this.instanceTypes = instanceTypes;
  }

  /** What validate checks the config against besides itself: user-data and an instance type, each optional. */
  public record Inputs(Optional<RawUserData> userData, Optional<String> instanceType) {}

  public ValidationReport run(Path file, ConfigCheck check, Inputs inputs) {
    Findings found = new Findings(file.toString(), check.lines());
    for (ConfigProblem p : check.problems()) {
      found.readerProblem(p.line(), p.key(), p.message());
    }
    Optional<UserData> userData = inputs.userData().flatMap(raw -> userData(raw, found));
    Optional<String> type = inputs.instanceType().filter(t -> instanceTypeName(t, found));
    Optional<AgentConfig> config = check.config().filter(c -> !c.roles().isEmpty());
    if (config.isEmpty()) {
      // Nothing to resolve: the file is not a mapping, or it has no role that could be read.
      return found.report(count(found, inputs));
    }
    AgentConfig c = config.get();
    Optional<String> role = role(c, userData, found);
    List<String> considered = role.map(List::of).orElseGet(() -> List.copyOf(c.roles().keySet()));
    resolveEveryRole(c, role, userData, type, found);
    type.ifPresentOrElse(t -> knownType(c, considered, t, found), () -> sizedByType(c, considered, found));
    if (userData.isEmpty()) {
      c.repository().revisionFrom().ifPresent(k -> found.skip("repository.revision_from",
          "repository.revision_from: the revision user-data " + k + " pins", Need.USER_DATA));
      c.repository().branchFrom().ifPresent(k -> found.skip("repository.branch_from",
          "repository.branch_from: the branch user-data " + k + " pins", Need.USER_DATA));
    }
    c.user().filter(u -> !found.readerFound("user")).ifPresent(u -> user(u, found));
    if (found.problemCount() > 0) {
      return found.report(count(found, inputs));
    }
    return found.report("ok: config valid for " + (role.isPresent() ? "role " : "roles ") + String.join(", ", considered)
        + workers(c, considered, type) + skipped(found, inputs));
  }

  private static Optional<UserData> userData(RawUserData raw, Findings found) {
    try {
      return Optional.of(UserData.parse(raw));
    } catch (UserData.UserDataException e) {
      e.problems().forEach(p -> found.problemIn("user-data", p));
      return Optional.empty();
    }
  }

  private static boolean instanceTypeName(String type, Findings found) {
    if (INSTANCE_TYPE.matcher(type).matches()) {
      return true;
    }
    found.problemIn("--instance-type", "'" + Messages.shown(type, 40) + "' is not an instance type name (like m1.large)");
    return false;
  }

  /** The role a boot would run: fixed by the config, the only one, or picked by user-data (empty when not known). */
  private static Optional<String> role(AgentConfig config, Optional<UserData> userData, Findings found) {
    if (config.role().isPresent()) {
      return config.role().filter(config.roles()::containsKey);
    }
    if (config.roleFrom().isEmpty()) {
      return config.roles().size() == 1 ? config.roles().keySet().stream().findFirst() : Optional.empty();
    }
    String key = config.roleFrom().get();
    if (userData.isEmpty()) {
      found.skip("role_from", "role_from: the role comes from user-data " + key + " ("
          + String.join("|", config.roles().keySet()) + "); every role was checked", Need.USER_DATA);
      return Optional.empty();
    }
    List<PlanProblem> problems = new ArrayList<>();
    String role = PlanResolver.pickRole(config, userData.get(), problems);
    problems.forEach(p -> report(p, true, found));
    return Optional.of(role).filter(config.roles()::containsKey);
  }

  /**
   * Resolves the config as boots would. Keys every role shares (hosts, repository) are resolved
   * once, with the user-data, for the role it picks (any role when it picks none). For the role it
   * picks, every problem of the role's own keys counts; another role never sees this user-data, so
   * there only what is wrong without any user-data counts. A problem that only user-data can
   * settle (an undefined ${DB}) is, without user-data, a skipped check, unless it belongs to a
   * role that no boot of this config runs.
   */
  private void resolveEveryRole(AgentConfig config, Optional<String> role, Optional<UserData> userData,
      Optional<String> type, Findings found) {
    InstanceIdentity placeholder = new InstanceIdentity("i-00000000000000000", type.orElse(PLACEHOLDER_TYPE),
        "us-east-1a", "us-east-1", "192.0.2.10");
    PlanResolver resolver = new PlanResolver(instanceTypes);
    UserData given = userData.orElse(UserData.empty());
    String sharedRole = role.orElseGet(() -> config.roles().keySet().iterator().next());
    for (PlanProblem p : resolver.checkRole(config, sharedRole, placeholder, given, PLACEHOLDER_RELEASE, Pins.none()).problems()) {
      if (!ofRole(p)) {
        report(p, !p.needsUserData() || userData.isPresent(), found);
      }
    }
    for (String name : config.roles().keySet()) {
      boolean runs = role.map(name::equals).orElse(false);
      List<PlanProblem> problems = resolver.checkRole(config, name, placeholder, given, PLACEHOLDER_RELEASE, Pins.none())
          .problems();
      // For a role this user-data does not pick: what stays wrong with no user-data at all.
      Set<String> whatever = (runs || userData.isEmpty() ? problems
          : resolver.checkRole(config, name, placeholder, UserData.empty(), PLACEHOLDER_RELEASE, Pins.none()).problems())
          .stream().filter(p -> !p.needsUserData()).map(PlanProblem::key).collect(Collectors.toSet());
      for (PlanProblem p : problems) {
        if (!ofRole(p)) {
          continue;
        }
        if (runs ? !p.needsUserData() || userData.isPresent() : !p.needsUserData() && whatever.contains(p.key())) {
          report(p, true, found);
        } else if (userData.isEmpty() && (runs || role.isEmpty())) {
          report(p, false, found);
        }
      }
    }
  }

  private static boolean ofRole(PlanProblem p) {
    return p.key().startsWith("roles.");
  }

  /** A problem, or (when only user-data validate was not given could settle it) a skipped check. */
  private static void report(PlanProblem p, boolean problem, Findings found) {
    if (found.readerFound(p.key())) {
      return; // the same key, already reported as written
    }
    if (problem) {
      found.problem(p.key(), p.text());
    } else {
      found.skip(p.key(), p.key() + ": needs user-data " + String.join(", ", new TreeSet<>(p.missingUserData())),
          Need.USER_DATA);
    }
  }

  /** An instance type the table does not know: the roles sized per ECU would get their default instead. */
  private void knownType(AgentConfig config, List<String> roles, String type, Findings found) {
    if (instanceTypes.lookup(type).isPresent()) {
      return;
    }
    String what = "'" + type + "' is not in amiboot's instance type table"
        + instanceTypes.closest(type).map(t -> " (did you mean " + t + "?)").orElse("");
    List<String> fallbacks = new ArrayList<>();
    for (String name : roles) {
      perEcu(config.roles().get(name)).ifPresent(w -> fallbacks.add(
          "roles." + name + ".workers would be its default (" + w.defaultCount().orElse(1) + "), not per_ecu x size"));
    }
    if (fallbacks.isEmpty()) {
      found.warningIn("--instance-type", what + "; no role here sizes its workers per ECU, so it changes nothing");
    } else {
      found.problemIn("--instance-type", what + ": " + String.join("; ", fallbacks));
    }
  }

  private static void sizedByType(AgentConfig config, List<String> roles, Findings found) {
    for (String name : roles) {
      perEcu(config.roles().get(name)).ifPresent(w -> found.skip("roles." + name + ".workers.per_ecu",
          "roles." + name + ".workers: the count is per_ecu x the instance type's size: give --instance-type",
          Need.INSTANCE_TYPE));
    }
  }

  /** The role's workers when per_ecu x the instance type sizes them. */
  private static Optional<WorkersConfig> perEcu(RoleConfig role) {
    return role.workers().filter(w -> w.count().isEmpty() && w.perEcu().isPresent());
  }

  /**
   * Whether {@code user} exists is a fact of the box, not of the config: validate runs on a laptop,
   * in CI (often as root, in a container) or while the image is being built, and the same config
   * must get the same verdict everywhere. So a user missing here is a warning, never a problem.
   */
  private static void user(String user, Findings found) {
    try {
      if (RunAs.find(user).isEmpty()) {
        found.warning("user", "user: '" + user + "' does not exist on this box; a boot as root on a box without it"
            + " exits 65: make sure the image has it (useradd)");
      }
    } catch (BadInputException e) {
      found.warning("user", "user: cannot tell whether '" + user + "' exists here: " + e.getMessage());
    }
  }

  /** " (m1.large: 8 workers)": the counts that do not depend on an instance type validate was not given. */
  private String workers(AgentConfig config, List<String> roles, Optional<String> type) {
    List<String> counts = new ArrayList<>();
    for (String name : roles) {
      RoleConfig role = config.roles().get(name);
      role.workers().filter(w -> type.isPresent() || perEcu(role).isEmpty()).ifPresent(w -> {
        int n = WorkerCount.of(w, type.orElse(PLACEHOLDER_TYPE), instanceTypes).count();
        counts.add((roles.size() > 1 ? name + " " : "") + n + (n == 1 ? " worker" : " workers"));
      });
    }
    String on = type.map(t -> counts.isEmpty() ? t : t + ": ").orElse("");
    return on.isEmpty() && counts.isEmpty() ? "" : " (" + on + String.join(", ", counts) + ")";
  }

  private static String count(Findings found, Inputs inputs) {
    int n = found.problemCount();
    return (n == 1 ? "1 problem" : n + " problems") + skipped(found, inputs);
  }

  /** "; 3 checks skipped (give --user-data and --instance-type)". */
  private static String skipped(Findings found, Inputs inputs) {
    int n = found.skippedCount();
    if (n == 0) {
      return "";
    }
    List<String> give = new ArrayList<>();
    List<String> todo = new ArrayList<>();
    if (found.needs().contains(Need.USER_DATA)) {
      if (inputs.userData().isPresent()) {
        todo.add("fix the user-data"); // given, but it has problems of its own
      } else {
        give.add("--user-data");
      }
    }
    if (found.needs().contains(Need.INSTANCE_TYPE)) {
      give.add("--instance-type");
    }
    if (!give.isEmpty()) {
      todo.add("give " + String.join(" and ", give));
    }
    return "; " + n + (n == 1 ? " check" : " checks") + " skipped (" + String.join("; ", todo) + ")";
  }
}
