package amiboot.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A config string with {@code ${name}} variables ({@code $$} is a literal dollar). Rendering
 * produces one string: values are data, substituted into one argv element or value, never
 * re-parsed by a shell.
 */
public record Template(String raw, List<Template.Part> parts) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public Template {
    parts = List.copyOf(parts);
  }

  /** A literal piece or a variable reference. */
  public sealed interface Part permits Literal, Variable {}

  public record Literal(String text) implements Part {}

  public record Variable(String name) implements Part {}

  /** Parses {@code raw}; throws IllegalArgumentException with a short reason when malformed. */
  public static Template parse(String raw) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '$') {
        literal.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
        int end = raw.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ${ in '" + raw + "'");
        }
        String name = raw.substring(i + 2, end);
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("'${" + name + "}' is not a variable name (letters, digits, _)");
        }
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Variable(name));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new Template(raw, parts);
  }

  public static Template literal(String text) {
    return new Template(text, List.of(new Literal(text)));
  }

  public Set<String> variables() {
    Set<String> names = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Variable variable) {
        names.add(variable.name());
      }
    }
    return names;
  }

  /** Renders with {@code values}; every variable must be defined (checked when the config resolves). */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        out.append(literal.text());
      } else {
        String name = ((Variable) part).name();
        String value = values.get(name);
        if (value == null) {
          throw new IllegalStateException("undefined variable ${" + name + "} in '" + raw + "'");
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return raw;
  }
}
