package amiboot.config;

import java.util.List;

/** Paths, relative to a release, that live in {@code shared/} and are linked into every release. */
public record SharedConfig(List<String> dirs, List<String> files) {
  public SharedConfig {
    dirs = List.copyOf(dirs);
    files = List.copyOf(files);
  }

  public static SharedConfig none() {
    return new SharedConfig(List.of(), List.of());
  }
}
