package amiboot.pipeline;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Library messages made fit for amiboot's one-line errors. */
public final class Messages {
  private Messages() {}

  /** What went wrong with a file, in words: not just the bare path some JDK exceptions carry. */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return "no such file or directory: " + n.getFile();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() == null ? "" : ": " + f.getFile());
    }
    return oneLine(e.getMessage());
  }

  /**
   * A piece of input quoted in a message: at most {@code max} characters, what does not print made
   * visible ({@code \x0a}, {@code \u2028}), so that a message stays one line and shows what was there.
   */
  public static String shown(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      if (out.length() >= max) {
        return out + "...";
      }
      int c = text.codePointAt(i);
      out.append(visible(c));
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** All white space (newlines included) folded to single spaces, and what does not print made visible. */
  public static String oneLine(String message) {
    return message == null ? "unknown error" : shown(message.replaceAll("\\s+", " ").strip(), Integer.MAX_VALUE);
  }

  /**
   * Whether {@code c} prints as itself. Not: controls (C0, DEL, C1 such as U+0085 NEXT LINE),
   * format characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width ones), line and paragraph
   * separators (U+2028, U+2029), lone surrogates, private use and unassigned code points: each of
   * them can break a message into lines or make it read as something it is not.
   */
  public static boolean printable(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
      default -> true;
    };
  }

  /** {@code c} as {@code U+2028 LINE SEPARATOR}, for a message about it. */
  public static String named(int c) {
    String name = Character.getName(c);
    return String.format("U+%04X", c) + (name == null ? "" : " " + name);
  }

  private static String visible(int c) {
    if (printable(c)) {
      return new String(Character.toChars(c));
    }
    if (c <= 0xff) {
      return String.format("\\x%02x", c);
    }
    return c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\u{%x}", c);
  }
}
