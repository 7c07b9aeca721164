package amiboot.config;

/**
 * One problem in the config: the line (0 when unknown), the dotted key ({@code roles.app.health.url};
 * empty for the file as a whole) and what is wrong.
 */
public record ConfigProblem(int line, String key, String message) {
  /** As boot messages show it: {@code line 21 roles.app.helth: unknown key (did you mean 'health'?)}. */
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + " " : "") + (key.isEmpty() ? "" : key + ": ") + message;
  }
}
