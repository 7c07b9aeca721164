package amiboot.pipeline;

/** A service (metadata, load balancer, repository) did not answer usefully within its retry budget. */
public final class UnavailableException extends BootException {
  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
