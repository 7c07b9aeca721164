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

  /** The same kind of failure (so the same exit code) with a message that says more. */
  public static BootException sameKind(BootException e, String message) {
    if (e instanceof BadInputException) {
      return new BadInputException(message, e);
    } else if (e instanceof UnavailableException) {
      return new UnavailableException(message, e);
    } else if (e instanceof CannotWriteException) {
      return new CannotWriteException(message, e);
    } else if (e instanceof LockHeldException) {
      return new LockHeldException(message);
    }
    return new AppFailedException(message, e);
  }
}
