package amiboot.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1m30s}; a bare number is seconds. */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationText() {}

  public static Duration parse(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      at = m.end();
    }
    if (at != s.length() || s.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (like 30s, 5m, 1h, 250ms)");
    }
    return total;
  }

  /** The short form used in progress lines and plans: 1.25s, 5m, 2h. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 60_000 || ms % 60_000 != 0) {
      return String.format(java.util.Locale.ROOT, "%.2fs", ms / 1000.0);
    }
    long minutes = ms / 60_000;
    return minutes % 60 == 0 ? (minutes / 60) + "h" : minutes + "m";
  }
}
