package amiboot.deploy;

import java.util.Locale;

/** What amiboot knows of a release: only one that passed its health check is good. */
public enum ReleaseStatus {
  /** Started and passed the health check (or started, for a role without one). */
  GOOD,
  /** Never became healthy, or its start command failed; rolled back from. */
  FAILED,
  /** Built, but not (yet) checked: a deploy in progress, or one interrupted before its check. */
  UNCHECKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ReleaseStatus parse(String text) {
    for (ReleaseStatus s : values()) {
      if (s.label().equals(text)) {
        return s;
      }
    }
    return UNCHECKED;
  }
}
