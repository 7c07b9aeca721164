package amiboot.pipeline;

/** Bad config, user-data or input: nothing was changed because of it. */
public final class BadInputException extends BootException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
