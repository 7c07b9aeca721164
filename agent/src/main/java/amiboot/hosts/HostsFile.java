package amiboot.hosts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges managed entries into the text of a hosts file. Every other line and comment is kept as
 * it is; a line that names a managed host (written by hand or by an earlier run) gives up that
 * name, and the managed entry takes the place of its first mention. Merging twice gives the same
 * text, so a second run leaves the file byte-identical.
 */
public final class HostsFile {
  private HostsFile() {}

  public static String merge(String original, List<HostsEntry> entries) {
    Map<String, HostsEntry> byName = new LinkedHashMap<>();
    // DBHost written by hand is the same host as the managed dbhost.
    entries.forEach(e -> byName.put(key(e.name()), e));
    Set<String> placed = new HashSet<>();
    List<String> lines = lines(original);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      mergeLine(line, byName, placed, out);
    }
    byName.values().stream().filter(e -> !placed.contains(key(e.name()))).forEach(e -> out.add(e.render()));
    if (out.equals(lines)) {
      return original; // nothing to change: not even a missing final newline
    }
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }

  private static void mergeLine(String line, Map<String, HostsEntry> byName, Set<String> placed, List<String> out) {
    int hash = line.indexOf('#');
    String content = hash < 0 ? line : line.substring(0, hash);
    String comment = hash < 0 ? "" : line.substring(hash);
    String[] tokens = content.trim().split("\\s+");
    if (tokens.length < 2 || tokens[0].isEmpty()) {
      out.add(line);
      return;
    }
    List<String> kept = new ArrayList<>();
    boolean touched = false;
    for (int i = 1; i < tokens.length; i++) {
      HostsEntry managed = byName.get(key(tokens[i]));
      if (managed == null) {
        kept.add(tokens[i]);
        continue;
      }
      touched = true;
      if (placed.add(key(managed.name()))) {
        out.add(managed.render());
      }
    }
    if (!touched) {
      out.add(line);
    } else if (!kept.isEmpty()) {
      out.add(tokens[0] + " " + String.join(" ", kept) + (comment.isEmpty() ? "" : " " + comment));
    }
  }

  /** The resolver matches names in any case: the lookup key of a name. */
  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
