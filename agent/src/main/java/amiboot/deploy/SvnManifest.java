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

    /** The entry {@link #appendTo} wrote, or empty if the line is not one (read by hand: 5,000 of them at every deploy). */
    static Optional<Entry> parse(String line) {
      if (line.length() < 3 || line.charAt(1) != '\t') {
        return Optional.empty();
      }
      char kind = line.charAt(0);
      if (kind == 'd' || kind == 'l') {
        String path = line.substring(2);
        return relative(path) ? Optional.of(kind == 'd' ? dir(path) : link(path)) : Optional.empty();
      }
      int sizeEnd = line.indexOf('\t', 2);
      if (kind != 'f' || sizeEnd < 0 || sizeEnd + 3 >= line.length() || line.charAt(sizeEnd + 2) != '\t') {
        return Optional.empty();
      }
      char x = line.charAt(sizeEnd + 1);
      String path = line.substring(sizeEnd + 3);
      if ((x != 'x' && x != '-') || !relative(path)) {
        return Optional.empty();
      }
      try {
        return Optional.of(file(path, Long.parseLong(line, 2, sizeEnd, 10), x == 'x'));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * A path that stays inside the tree it is resolved against and fits on a line: no "", ".", ".."
   * segments, no leading '/', no control characters.
   */
  static boolean relative(String path) {
    int segment = 0;
    for (int i = 0; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c < 0x20) {
        return false;
      }
      if (c == '/') {
        String name = path.substring(segment, i);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
          return false;
        }
        segment = i + 1;
      }
    }
    return true;
  }
}
