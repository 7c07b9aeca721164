package amiboot.pipeline;

/** Another amiboot holds the lock for this box. */
public final class LockHeldException extends BootException {
  private final String holder;

  public LockHeldException(String message) {
    this(message, "unknown");
  }

  /** {@code holder}: the pid the lock file names, as text ("unknown" when it names none). */
  public LockHeldException(String message, String holder) {
    super(message);
    this.holder = holder;
  }

  public String holder() {
    return holder;
  }
}
