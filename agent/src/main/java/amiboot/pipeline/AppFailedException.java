package amiboot.pipeline;

/** The application itself failed: its start command failed or it never became healthy. */
public final class AppFailedException extends BootException {
  public AppFailedException(String message) {
    super(message);
  }

  public AppFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
