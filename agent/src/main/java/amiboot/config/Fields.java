package amiboot.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed access to one YAML mapping of the config. Every wrong type, unknown key or bad value is
 * added to {@link Problems} with the key's dotted path and line, and reading carries on.
 */
final class Fields {
  private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");

  private final YamlNode.Mapping mapping;
  private final String path;
  private final Problems problems;

  Fields(YamlNode.Mapping mapping, String path, Problems problems, Set<String> known) {
    this.mapping = mapping;
    this.path = path;
    this.problems = problems;
    for (String key : mapping.entries().keySet()) {
      if (!known.contains(key)) {
        String hint = Suggest.closest(key, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
        problems.add(lineOf(key), at(key), "unknown key" + hint);
      }
    }
  }

  /** The fields of a nested mapping, or empty (with a problem) when it is something else. */
  static Optional<Fields> of(YamlNode node, String path, Problems problems, Set<String> known) {
    if (node instanceof YamlNode.Mapping m) {
      return Optional.of(new Fields(m, path, problems, known));
    }
    if (!(node instanceof YamlNode.Scalar s && s.text() == null)) {
      problems.add(node.line(), path, "must be a mapping of keys");
    }
    return Optional.empty();
  }

  String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  int lineOf(String key) {
    return mapping.keyLines().getOrDefault(key, mapping.line());
  }

  int line() {
    return mapping.line();
  }

  Optional<YamlNode> node(String key) {
    YamlNode node = mapping.entries().get(key);
    if (node instanceof YamlNode.Scalar s && s.text() == null) {
      return Optional.empty(); // "key:" with nothing is the same as leaving it out
    }
    return Optional.ofNullable(node);
  }

  boolean has(String key) {
    return node(key).isPresent();
  }

  Optional<String> string(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get() instanceof YamlNode.Scalar s) {
      return Optional.of(s.text());
    }
    problems.add(lineOf(key), at(key), "must be a single value");
    return Optional.empty();
  }

  String required(String key) {
    if (!mapping.entries().containsKey(key)) {
      problems.add(line(), at(key), "is required");
      return "";
    }
    Optional<String> value = string(key);
    if (value.isPresent() && !value.get().isBlank()) {
      return value.get();
    }
    if (mapping.entries().get(key) instanceof YamlNode.Scalar) {
      problems.add(lineOf(key), at(key), "must not be empty");
    }
    return "";
  }

  /** A string without variables (paths, names read before user-data is known). */
  Optional<String> plain(String key) {
    Optional<String> value = string(key);
    if (value.isPresent() && value.get().contains("${")) {
      problems.add(lineOf(key), at(key), "variables are not allowed here");
    }
    return value;
  }

  Optional<Template> template(String key) {
    return string(key).flatMap(text -> parseTemplate(text, lineOf(key), at(key)));
  }

  Optional<Template> parseTemplate(String text, int line, String where) {
    try {
      return Optional.of(Template.parse(text));
    } catch (IllegalArgumentException e) {
      problems.add(line, where, e.getMessage());
      return Optional.empty();
    }
  }

  Optional<Path> absolutePath(String key) {
    Optional<String> text = plain(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().isBlank()) {
      problems.add(lineOf(key), at(key), "must not be empty");
      return Optional.empty();
    }
    Path path = Path.of(text.get());
    if (!path.isAbsolute()) {
      problems.add(lineOf(key), at(key), "must be an absolute path, not '" + text.get() + "'");
      return Optional.empty();
    }
    return Optional.of(path.normalize());
  }

  /** A whole number in [min, max]; anything else is a problem naming the range. */
  Optional<Integer> integer(String key, int min, int max) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String digits = text.get().trim();
    if (!WHOLE.matcher(digits).matches()) {
      problems.add(lineOf(key), at(key), "must be a whole number, not '" + text.get() + "'");
      return Optional.empty();
    }
    // Past 18 digits it is out of range whatever it is: no need to parse all of it.
    String magnitude = digits.replaceFirst("^[+-]?0*", "");
    long value = magnitude.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (value < min || value > max || magnitude.length() > 18) {
      problems.add(lineOf(key), at(key), "must be between " + min + " and " + max + ", not " + digits);
      return Optional.empty();
    }
    return Optional.of((int) value);
  }

  /**
   * A number in (0, max] with at most {@code decimals} decimal places. The places are bounded
   * because arithmetic on 1e-400000000 takes forever; the test uses only the text's scale.
   */
  Optional<BigDecimal> positiveNumber(String key, BigDecimal max, int decimals) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.get().trim());
    } catch (NumberFormatException e) {
      problems.add(lineOf(key), at(key), "must be a number, not '" + text.get() + "'");
      return Optional.empty();
    }
    String range = "must be more than 0 and at most " + max.toPlainString();
    if (value.signum() <= 0 || value.compareTo(max) > 0) {
      problems.add(lineOf(key), at(key), range + ", not " + text.get().trim());
      return Optional.empty();
    }
    if (value.stripTrailingZeros().scale() > decimals) {
      problems.add(lineOf(key), at(key), range + " with at most " + decimals + " decimal places, not " + text.get().trim());
      return Optional.empty();
    }
    return Optional.of(value);
  }

  Optional<Boolean> bool(String key) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    switch (text.get()) {
      case "true":
        return Optional.of(true);
      case "false":
        return Optional.of(false);
      default:
        problems.add(lineOf(key), at(key), "must be true or false, not '" + text.get() + "'");
        return Optional.empty();
    }
  }

  Optional<Duration> duration(String key) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationText.parse(text.get()));
    } catch (IllegalArgumentException e) {
      problems.add(lineOf(key), at(key), e.getMessage());
      return Optional.empty();
    }
  }

  /** A list of scalars; a single scalar is taken as a one-element list. */
  List<String> strings(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return List.of();
    }
    if (node.get() instanceof YamlNode.Scalar s) {
      return List.of(s.text());
    }
    if (!(node.get() instanceof YamlNode.Sequence seq)) {
      problems.add(lineOf(key), at(key), "must be a list");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      YamlNode item = seq.items().get(i);
      if (item instanceof YamlNode.Scalar s && s.text() != null) {
        out.add(s.text());
      } else {
        problems.add(item.line(), at(key) + "[" + i + "]", "must be a single value");
      }
    }
    return out;
  }

  List<Template> templates(String key) {
    List<Template> out = new ArrayList<>();
    List<String> items = strings(key);
    for (int i = 0; i < items.size(); i++) {
      parseTemplate(items.get(i), lineOf(key), at(key) + "[" + i + "]").ifPresent(out::add);
    }
    return out;
  }

  /** A free-form mapping (hosts, env, roles): its entries, or empty with a problem. */
  Map<String, YamlNode> entries(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return Map.of();
    }
    if (node.get() instanceof YamlNode.Mapping m) {
      return m.entries();
    }
    problems.add(lineOf(key), at(key), "must be a mapping of name: value");
    return Map.of();
  }

  Problems problems() {
    return problems;
  }
}
