package amiboot.pipeline;

/** Library messages made fit for amiboot's one-line errors. */
public final class Messages {
  private Messages() {}

  /** All white space (newlines included) folded to single spaces. */
  public static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s+", " ").strip();
  }
}
