package amiboot.pipeline;

/** A file or directory could not be written (disk full, permissions, read-only file system). */
public final class CannotWriteException extends BootException {
  public CannotWriteException(String message) {
    super(message);
  }

  public CannotWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
