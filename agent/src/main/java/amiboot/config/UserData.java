package amiboot.config;

import amiboot.io.Utf8Text;
import amiboot.metadata.RawUserData;
import amiboot.pipeline.Messages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The instance's user-data as variables. Three forms: the seed's {@code DB=10.126.17.1;ROLE=app},
 * newline-separated {@code KEY=VALUE} lines, and a YAML mapping of scalars. A {@code #cloud-config}
 * document (user-data shared with cloud-init) contributes its {@code amiboot:} mapping, if any.
 * Values are data: one line of printable text, checked here; what they mean is checked where used.
 */
public record UserData(Map<String, String> values, String format) {
  static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** KEY=VALUE rather than YAML: an '=' comes before any ':' (a YAML key ends at its ':'). */
  private static final Pattern PAIRS_START = Pattern.compile("[^:=\\s]+\\s*=.*", Pattern.DOTALL);
  private static final Pattern BLANKS_AT_ENDS = Pattern.compile("^[ \t\r]+|[ \t\r]+$");
  private static final int MAX_VALUE = 4096;

  public UserData {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static UserData empty() {
    return new UserData(Map.of(), "none");
  }

  /**
   * Parses user-data as the metadata service served it: gzip-compressed (as cloud-init reads it,
   * for configs past EC2's 16 KB) or not, then UTF-8 text.
   */
  public static UserData parse(RawUserData raw) throws UserDataException {
    if (raw.length() > RawUserData.MAX_BYTES) {
      throw new UserDataException(List.of("it is larger than 1 MiB"));
    }
    byte[] bytes = raw.gzipped() ? inflated(raw.bytes()) : raw.bytes();
    try {
      return parse(Utf8Text.decode(bytes));
    } catch (Utf8Text.InvalidUtf8Exception e) {
      throw new UserDataException(List.of("it is " + e.getMessage() + (raw.gzipped() ? " once inflated" : "")
          + ": give UTF-8 text"));
    }
  }

  /** At most {@link RawUserData#MAX_BYTES} inflated: a few KB of gzip can inflate to gigabytes. */
  private static byte[] inflated(byte[] gzip) throws UserDataException {
    byte[] bytes;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      bytes = in.readNBytes(RawUserData.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new UserDataException(List.of("it starts as gzip does (1f 8b) but cannot be inflated ("
          + Messages.oneLine(e.getMessage()) + "): give it gzip-compressed whole, or not compressed"));
    }
    if (bytes.length > RawUserData.MAX_BYTES) {
      throw new UserDataException(List.of("it is gzip that inflates to more than 1 MiB"));
    }
    return bytes;
  }

  /** Parses user-data; throws {@link UserDataException} listing every problem. */
  public static UserData parse(String text) throws UserDataException {
    if (text == null) {
      return empty();
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String first = firstMeaningfulLine(body);
    if (first == null) {
      return empty();
    }
    if (first.startsWith("#cloud-config")) {
      return fromYaml(body, true);
    }
    if (first.startsWith("#!")) {
      return new UserData(Map.of(), "script (for cloud-init; no amiboot variables)");
    }
    return PAIRS_START.matcher(first).matches() ? fromPairs(body) : fromYaml(body, false);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  private static String firstMeaningfulLine(String body) {
    for (String line : body.split("\r?\n", -1)) {
      String t = line.strip();
      if (!t.isEmpty() && (!t.startsWith("#") || t.startsWith("#cloud-config") || t.startsWith("#!"))) {
        return t;
      }
    }
    return null;
  }

  private static UserData fromPairs(String body) throws UserDataException {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    int index = 0;
    List<String> items = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.strip().startsWith("#")) { // a comment line is dropped whole, ';' and all
        items.addAll(List.of(line.split(";")));
      }
    }
    for (String segment : items) {
      String item = blanksOff(segment);
      if (item.isEmpty()) {
        continue;
      }
      index++;
      int eq = item.indexOf('=');
      if (eq < 0) {
        problems.add("item " + index + " '" + shown(item) + "' is not KEY=VALUE");
        continue;
      }
      put(values, blanksOff(item.substring(0, eq)), blanksOff(item.substring(eq + 1)), problems);
    }
    return checked(values, problems, "KEY=VALUE pairs");
  }

  /**
   * Spaces, tabs and carriage returns off both ends; not {@link String#strip}, which would also
   * drop a U+2028 at the end of a value without a word instead of refusing it.
   */
  private static String blanksOff(String text) {
    return BLANKS_AT_ENDS.matcher(text).replaceAll("");
  }

  private static UserData fromYaml(String body, boolean cloudConfig) throws UserDataException {
    YamlNode root;
    try {
      root = new YamlTree().parse(body);
    } catch (YamlTree.SecondDocumentException e) {
      throw new UserDataException(List.of("more than one YAML document (a second one starts at line " + e.line()
          + "): give one"));
    } catch (YamlTree.AliasException e) {
      throw new UserDataException(List.of("line " + e.line() + ": " + e.getMessage()));
    } catch (YamlTree.YamlSyntaxException e) {
      throw new UserDataException(List.of("not KEY=VALUE pairs and not valid YAML (line " + e.line() + ": " + e.getMessage() + ")"));
    }
    if (cloudConfig) {
      if (!(root instanceof YamlNode.Mapping mapping) || !mapping.entries().containsKey("amiboot")) {
        return new UserData(Map.of(), "#cloud-config (no amiboot: section)");
      }
      root = mapping.entries().get("amiboot");
    }
    if (!(root instanceof YamlNode.Mapping mapping)) {
      throw new UserDataException(List.of(cloudConfig
          ? "the #cloud-config amiboot: section must be a mapping of KEY: value"
          : "not KEY=VALUE pairs and not a YAML mapping of KEY: value"));
    }
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    mapping.entries().forEach((key, node) -> {
      if (node instanceof YamlNode.Scalar scalar) {
        put(values, key, scalar.text() == null ? "" : scalar.text(), problems);
      } else {
        problems.add(shown(key) + " must be a single value, not a list or mapping");
      }
    });
    return checked(values, problems, cloudConfig ? "#cloud-config amiboot: mapping" : "YAML mapping");
  }

  private static void put(Map<String, String> values, String key, String value, List<String> problems) {
    if (!KEY.matcher(key).matches()) {
      problems.add("'" + shown(key) + "' is not a variable name (letters, digits, _)");
    } else if (values.containsKey(key)) {
      problems.add(key + " is given twice");
    } else if (value.length() > MAX_VALUE) {
      problems.add(key + " is longer than " + MAX_VALUE + " characters");
    } else if (value.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
      problems.add(key + " holds a control character (newline, tab, ...): values are one line of text");
    } else if (value.codePoints().anyMatch(c -> !Messages.printable(c))) {
      int c = value.codePoints().filter(p -> !Messages.printable(p)).findFirst().orElseThrow();
      problems.add(key + " holds " + Messages.named(c) + ", which does not print (a line separator, a bidi override,"
          + " ...): values are one line of printable text");
    } else {
      values.put(key, value);
    }
  }

  private static UserData checked(Map<String, String> values, List<String> problems, String format)
      throws UserDataException {
    if (!problems.isEmpty()) {
      throw new UserDataException(problems);
    }
    return new UserData(values, format);
  }

  static String shown(String text) {
    return Messages.shown(text, 40);
  }


  /** Every problem found in the user-data. */
  public static final class UserDataException extends Exception {
    private final List<String> problems;

    UserDataException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
