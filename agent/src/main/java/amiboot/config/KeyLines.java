package amiboot.config;

import java.util.Map;

/**
 * The line of a dotted config key ({@code roles.app.start[2]}, {@code hosts.db.internal}) in the
 * YAML as written, for problems found after reading (with user-data applied) that name only the key.
 */
public final class KeyLines {
  private final YamlNode root;

  KeyLines(YamlNode root) {
    this.root = root;
  }

  static KeyLines none() {
    return new KeyLines(new YamlNode.Scalar(null, 0));
  }

  /** The line of the deepest part of {@code key} that is in the file; 0 when not even its first part is. */
  public int lineOf(String key) {
    YamlNode node = root;
    String rest = key;
    int line = 0;
    while (!rest.isEmpty()) {
      if (rest.startsWith("[") && node instanceof YamlNode.Sequence seq) {
        int end = rest.indexOf(']');
        int index = parseIndex(rest.substring(1, Math.max(1, end)));
        if (end < 0 || index < 0 || index >= seq.items().size()) {
          return line;
        }
        node = seq.items().get(index);
        line = node.line();
        rest = after(rest, end + 1);
      } else if (node instanceof YamlNode.Mapping mapping) {
        String match = longestKey(mapping, rest);
        if (match == null) {
          return line;
        }
        node = mapping.entries().get(match);
        line = mapping.keyLines().getOrDefault(match, node.line());
        rest = after(rest, match.length());
      } else {
        return line;
      }
    }
    return line;
  }

  /** Host names hold dots: the longest key that {@code rest} starts with, followed by '.', '[' or nothing. */
  private static String longestKey(YamlNode.Mapping mapping, String rest) {
    String best = null;
    for (Map.Entry<String, YamlNode> e : mapping.entries().entrySet()) {
      String k = e.getKey();
      boolean fits = rest.equals(k) || rest.startsWith(k + ".") || rest.startsWith(k + "[");
      if (fits && (best == null || k.length() > best.length())) {
        best = k;
      }
    }
    return best;
  }

  private static String after(String rest, int end) {
    String tail = rest.substring(end);
    return tail.startsWith(".") ? tail.substring(1) : tail;
  }

  private static int parseIndex(String digits) {
    return digits.matches("\\d{1,6}") ? Integer.parseInt(digits) : -1;
  }
}
