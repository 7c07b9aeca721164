package amiboot.boot;

import java.util.List;

/**
 * What {@code amiboot validate} found: the problems a boot would stop at, warnings (box-dependent
 * findings that need not hold where validate runs), the checks it could not make without
 * user-data or an instance type, and a one-line summary.
 */
public record ValidationReport(List<Finding> problems, List<Finding> warnings, List<Finding> skipped, String summary) {
  public ValidationReport {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
    skipped = List.copyOf(skipped);
  }

  /**
   * One finding: where ({@code amiboot.yml} with its line, {@code user-data}, {@code --instance-type})
   * and what. The line is 0 when unknown.
   */
  public record Finding(String source, int line, String text) {
    /** {@code amiboot.yml:12}, or the source alone without a line. */
    public String where() {
      return line > 0 ? source + ":" + line : source;
    }
  }

  public boolean valid() {
    return problems.isEmpty();
  }
}
