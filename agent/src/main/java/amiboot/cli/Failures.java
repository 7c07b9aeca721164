package amiboot.cli;

import amiboot.pipeline.BootException;

/** Turns a command's failure into its exit code and one line on stderr. */
final class Failures {
  /** A command body that may fail with an operator-facing {@link BootException}. */
  @FunctionalInterface
  interface Body {
    int run() throws BootException;
  }

  private Failures() {}

  /** Every failure is one line on stderr, whatever a library put in its message. */
  static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static int guard(Streams streams, boolean stacktrace, String command, Body body) {
    try {
      return body.run();
    } catch (BootException e) {
      streams.err().println("amiboot: " + command + " failed: " + oneLine(e.getMessage()));
      return ExitCodes.of(e);
    } catch (RuntimeException e) {
      streams.err().println("amiboot: " + command + " failed: internal error: " + e
          + (stacktrace ? "" : " (run again with --stacktrace and report it)"));
      if (stacktrace) {
        e.printStackTrace(streams.err());
      }
      return ExitCodes.INTERNAL;
    }
  }
}
