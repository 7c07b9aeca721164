package amiboot.pipeline;

/**
 * A failure the operator can act on. The subclass says which kind it is (the CLI maps kinds to
 * exit codes in one place); the message says what failed, where, and what to do.
 */
public abstract sealed class BootException extends Exception
    permits BadInputException,
        UnavailableException,
        CannotWriteException,
        LockHeldException,
        AppFailedException {

  protected BootException(String message) {
    super(message);
  }

  protected BootException(String message, Throwable cause) {
    super(message, cause);
  }
}
