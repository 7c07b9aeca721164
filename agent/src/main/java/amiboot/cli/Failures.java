package amiboot.cli;

import amiboot.pipeline.BootException;
import amiboot.pipeline.Messages;

/** Turns a command's failure into its exit code and one line on stderr. */
final class Failures {
  /** A command body that may fail with an operator-facing {@link BootException}. */
  @FunctionalInterface
  interface Body {
    int run() throws BootException;
  }

  private Failures() {}

  static int guard(Streams streams, boolean stacktrace, String command, Body body) {
    try {
      return body.run();
    } catch (BootException e) {
      streams.err().println("amiboot: " + command + " failed: " + Messages.oneLine(e.getMessage()));
      return ExitCodes.of(e);
    } catch (RuntimeException e) {
      streams.err().println("amiboot: " + command + " failed: internal error: " + e
          + (stacktrace ? "" : " (run again with --stacktrace and report it)"));
      if (stacktrace) {
        e.printStackTrace(streams.err());
      }
      return ExitCodes.INTERNAL;
    } catch (OutOfMemoryError e) {
      // a deploy bigger than the heap the JVM flags allow: say which setting, not a JVM dump
      streams.err().println("amiboot: " + command + " failed: out of memory (" + e.getMessage()
          + "): raise -Xmx in JAVA_OPTS (/etc/default/amiboot)");
      return ExitCodes.INTERNAL;
    }
  }
}
