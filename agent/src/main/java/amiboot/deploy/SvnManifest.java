package amiboot.deploy;

import java.util.List;
import java.util.Optional;

/**
 * What an export wrote: every directory, file (with its size and executable bit, as written) and
 * symlink, parents before children, as the export wrote them (no walk of the tree afterwards). A
 * later export reuses the unchanged files of this one only if they still match it (see
 * {@link BaseFiles}).
 */
record SvnManifest(List<Entry> entries) {
  enum Kind { DIR, FILE, LINK }

  /** One path of the export, relative, '/'-separated; size and executable only mean something for a FILE. */
  record Entry(Kind kind, String path, long size, boolean executable) {
    static Entry dir(String path) {
      return new Entry(Kind.DIR, path, 0, false);
    }

    static Entry link(String path) {
      return new Entry(Kind.LINK, path, 0, false);
    }

    static Entry file(String path, long size, boolean executable) {
      return new Entry(Kind.FILE, path, size, executable);
    }

    /** Appends this entry as one line; Subversion refuses control characters in paths, so a tab separates. */
    void appendTo(StringBuilder out) {
      switch (kind) {
        case DIR -> out.append("d\t");
        case LINK -> out.append("l\t");
        case FILE -> out.append("f\t").append(size).append(executable ? "\tx\t" : "\t-\t");
      }
      out.append(path).append('\n');
    }

    static Optional<Entry> parse(String line) {
      String[] f = line.split("\t", -1);
      if (!relative(f[f.length - 1])) {
        return Optional.empty();
      }
      try {
        if (f.length == 2 && f[0].equals("d")) {
          return Optional.of(dir(f[1]));
        }
        if (f.length == 2 && f[0].equals("l")) {
          return Optional.of(link(f[1]));
        }
        if (f.length == 4 && f[0].equals("f") && (f[2].equals("x") || f[2].equals("-"))) {
          return Optional.of(file(f[3], Long.parseLong(f[1]), f[2].equals("x")));
        }
      } catch (NumberFormatException e) {
        // falls through: not an entry
      }
      return Optional.empty();
    }
  }

  /**
   * A path that stays inside the tree it is resolved against and fits on a line: no "", ".", ".."
   * segments, no leading '/', no control characters.
   */
  static boolean relative(String path) {
    if (path.chars().anyMatch(c -> c < 0x20)) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
