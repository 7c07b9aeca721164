package amiboot.deploy;

import amiboot.pipeline.BadInputException;

/**
 * Paths git refuses to check out: any with a component that is {@code .git} in any case, or a
 * name NTFS reads as {@code .git} (trailing dots or spaces, the short name {@code git~1}), which
 * git refuses on every system by default (core.protectNTFS). In a release, such a directory
 * would be a repository of its own: its config and hooks would run for whoever uses git there.
 */
final class DotGit {
  private DotGit() {}

  /** Whether any '/'-separated component of {@code path} is one of those names. */
  static boolean in(String path) {
    for (String component : path.split("/")) {
      if (is(component)) {
        return true;
      }
    }
    return false;
  }

  static boolean is(String name) {
    String trimmed = name.replaceAll("[. ]+$", "");
    return trimmed.equalsIgnoreCase(".git") || trimmed.equalsIgnoreCase("git~1");
  }

  static BadInputException refused(String displayUrl, String path) {
    return new BadInputException("repository " + displayUrl + " holds " + path + ", a path through a .git directory, which"
        + " git refuses to check out (it would be a repository inside the release, with its own config and hooks):"
        + " remove it from the repository");
  }
}
