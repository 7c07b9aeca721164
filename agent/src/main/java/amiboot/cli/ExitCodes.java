package amiboot.cli;

import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.LockHeldException;
import amiboot.pipeline.UnavailableException;

/** The exit codes (sysexits), mapped from failure kinds in this one place. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int APP_FAILED = 1;
  public static final int USAGE = 64;
  public static final int BAD_INPUT = 65;
  public static final int UNAVAILABLE = 69;
  public static final int INTERNAL = 70;
  public static final int CANNOT_WRITE = 73;
  public static final int LOCKED = 75;

  private ExitCodes() {}

  public static int of(BootException e) {
    if (e instanceof BadInputException) {
      return BAD_INPUT;
    } else if (e instanceof UnavailableException) {
      return UNAVAILABLE;
    } else if (e instanceof CannotWriteException) {
      return CANNOT_WRITE;
    } else if (e instanceof LockHeldException) {
      return LOCKED;
    } else if (e instanceof AppFailedException) {
      return APP_FAILED;
    }
    return INTERNAL;
  }
}
