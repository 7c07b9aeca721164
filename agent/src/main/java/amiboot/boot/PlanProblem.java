package amiboot.boot;

import java.util.Set;

/**
 * A problem found while applying user-data and metadata to the config: the config key it is about
 * (for its line; empty when it is about the command line), what is wrong, and the user-data keys
 * whose absence caused it (empty when no user-data would fix it).
 */
public record PlanProblem(String key, String text, Set<String> missingUserData) {
  public PlanProblem {
    missingUserData = Set.copyOf(missingUserData);
  }

  static PlanProblem of(String key, String text) {
    return new PlanProblem(key, text, Set.of());
  }

  /** Whether only user-data with these keys would tell whether it is a problem. */
  public boolean needsUserData() {
    return !missingUserData.isEmpty();
  }
}
