package amiboot.config;

import java.util.List;
import java.util.Optional;

/**
 * A config read without stopping at its problems ({@code amiboot validate}): every problem, the
 * config as far as it could be read (empty when the file is not a YAML mapping), and the lines of
 * its keys for problems found later.
 */
public record ConfigCheck(Optional<AgentConfig> config, List<ConfigProblem> problems, KeyLines lines) {
  public ConfigCheck {
    problems = List.copyOf(problems);
  }
}
