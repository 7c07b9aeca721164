package amiboot.asuser;

import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.UnavailableException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A failure in the user's process, sent back as its kind and its message so that amiboot fails
 * the same way (the same exit code and line) as if the work had run in its own process.
 */
enum Failure {
  BAD_INPUT, UNAVAILABLE, UNAVAILABLE_FOR_GOOD, CANNOT_WRITE, APP_FAILED, IO;

  static void write(DataOutputStream out, Exception e) throws IOException {
    out.writeByte(1 + kindOf(e).ordinal());
    Wire.write(out, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    out.flush();
  }

  /** Reads an answer's status byte: null when the call succeeded, else the failure to throw. */
  static Exception read(DataInputStream in) throws IOException {
    int status = in.readUnsignedByte();
    if (status == 0) {
      return null;
    }
    if (status > values().length) {
      throw new IOException("broken answer from the other side (status " + status + ")");
    }
    String message = Wire.read(in);
    return switch (values()[status - 1]) {
      case BAD_INPUT -> new BadInputException(message);
      case UNAVAILABLE -> new UnavailableException(message);
      case UNAVAILABLE_FOR_GOOD -> UnavailableException.permanent(message);
      case CANNOT_WRITE -> new CannotWriteException(message);
      case APP_FAILED -> new AppFailedException(message);
      case IO -> new IOException(message);
    };
  }

  private static Failure kindOf(Exception e) {
    if (e instanceof BadInputException) {
      return BAD_INPUT;
    } else if (e instanceof UnavailableException u) {
      return u.worthRetrying() ? UNAVAILABLE : UNAVAILABLE_FOR_GOOD;
    } else if (e instanceof AppFailedException) {
      return APP_FAILED;
    } else if (e instanceof IOException) {
      return IO;
    }
    return CANNOT_WRITE;
  }
}
