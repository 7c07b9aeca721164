package amiboot.config;

import java.util.List;
import java.util.Map;

/** A YAML value with the line it starts on, so that every config problem can name its line. */
public sealed interface YamlNode {
  int line();

  /** A plain value; {@code text} is null for YAML null ({@code ~} or nothing). */
  record Scalar(String text, int line) implements YamlNode {}

  /** A mapping; {@code keyLines} gives the line of each key. */
  record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {}

  record Sequence(List<YamlNode> items, int line) implements YamlNode {}
}
