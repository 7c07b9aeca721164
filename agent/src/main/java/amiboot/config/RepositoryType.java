package amiboot.config;

import java.util.Locale;

public enum RepositoryType {
  GIT,
  SVN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
