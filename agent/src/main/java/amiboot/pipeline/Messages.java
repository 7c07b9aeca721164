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
   * A piece of input quoted in a message: at most {@code max} characters, control characters
   * made visible ({@code \x0a}), so that a message stays one line and shows what was there.
   */
  public static String shown(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (out.length() >= max) {
        return out + "...";
      }
      out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  /** All white space (newlines included) folded to single spaces. */
  public static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s+", " ").strip();
  }
}
