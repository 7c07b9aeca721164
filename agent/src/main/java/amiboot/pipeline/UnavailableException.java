package amiboot.pipeline;

/**
 * A service (metadata, load balancer, repository) did not answer usefully. Most such failures may
 * pass (a network coming up) and are worth retrying within a budget; {@link #permanent} ones (a
 * repository that does not exist) are not.
 */
public final class UnavailableException extends BootException {
  private final boolean worthRetrying;

  public UnavailableException(String message) {
    this(message, null, true);
  }

  public UnavailableException(String message, Throwable cause) {
    this(message, cause, true);
  }

  private UnavailableException(String message, Throwable cause, boolean worthRetrying) {
    super(message, cause);
    this.worthRetrying = worthRetrying;
  }

  /** A failure that another try will not change. */
  public static UnavailableException permanent(String message) {
    return new UnavailableException(message, null, false);
  }

  public boolean worthRetrying() {
    return worthRetrying;
  }
}
