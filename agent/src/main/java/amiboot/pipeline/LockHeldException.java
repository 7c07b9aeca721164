package amiboot.pipeline;

/** Another amiboot holds the lock for this box. */
public final class LockHeldException extends BootException {
  public LockHeldException(String message) {
    super(message);
  }
}
