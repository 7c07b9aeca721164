package amiboot.io;

/** Closing a client or file after its work is done, when a failure to close changes nothing. */
public final class Closeables {
  private Closeables() {}

  public static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // the work is done; there is nothing to report
      }
    }
  }
}
