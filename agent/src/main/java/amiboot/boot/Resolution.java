package amiboot.boot;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of resolving a config for one instance: the role (empty when none could be picked)
 * and, when nothing is wrong, the plan; otherwise every problem.
 */
public record Resolution(Optional<String> role, Optional<BootPlan> plan, List<PlanProblem> problems) {
  public Resolution {
    problems = List.copyOf(problems);
  }
}
