package amiboot.boot;

import amiboot.boot.ValidationReport.Finding;
import amiboot.config.KeyLines;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects what validate finds, each once (every role is resolved, so a problem of a shared key
 * such as hosts would otherwise come once per role), with the line of its config key.
 */
final class Findings {
  /** What a skipped check needed. */
  enum Need { USER_DATA, INSTANCE_TYPE }

  private final String file;
  private final KeyLines lines;
  private final Set<Finding> problems = new LinkedHashSet<>();
  private final Set<Finding> warnings = new LinkedHashSet<>();
  private final Set<Finding> skipped = new LinkedHashSet<>();
  private final Set<Need> needs = new LinkedHashSet<>();
  private final List<String> readerKeys = new ArrayList<>();

  Findings(String file, KeyLines lines) {
    this.file = file;
    this.lines = lines;
  }

  /** A problem the config reader found, at its own line; later problems of the same key are the same one. */
  void readerProblem(int line, String key, String message) {
    problems.add(new Finding(file, line, key.isEmpty() ? message : key + ": " + message));
    if (!key.isEmpty()) {
      readerKeys.add(key);
    }
  }

  /** Whether the reader already found a problem with {@code key} or a key above it. */
  boolean readerFound(String key) {
    return readerKeys.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + ".") || key.startsWith(k + "["));
  }

  /** A problem of a config key, at that key's line. */
  void problem(String key, String text) {
    problems.add(new Finding(file, key.isEmpty() ? 0 : lines.lineOf(key), text));
  }

  /** A problem of something else than the config file (user-data, --instance-type). */
  void problemIn(String source, String text) {
    problems.add(new Finding(source, 0, text));
  }

  void warning(String key, String text) {
    warnings.add(new Finding(file, lines.lineOf(key), text));
  }

  void warningIn(String source, String text) {
    warnings.add(new Finding(source, 0, text));
  }

  void skip(String key, String text, Need need) {
    skipped.add(new Finding(file, lines.lineOf(key), text));
    needs.add(need);
  }

  int problemCount() {
    return problems.size();
  }

  int skippedCount() {
    return skipped.size();
  }

  Set<Need> needs() {
    return needs;
  }

  ValidationReport report(String summary) {
    return new ValidationReport(sorted(problems), sorted(warnings), sorted(skipped), summary);
  }

  /** The config file's findings by line, then the others (user-data, --instance-type) as found. */
  private List<Finding> sorted(Set<Finding> findings) {
    return findings.stream()
        .sorted(Comparator.comparingInt((Finding f) -> f.source().equals(file) ? 0 : 1).thenComparingInt(Finding::line))
        .toList();
  }
}
