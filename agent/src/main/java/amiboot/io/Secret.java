package amiboot.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A password or key read from a file. Its text never reaches toString, logs or state. */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /**
   * Reads the file's first line (a trailing newline is not part of the password). Bytes that are
   * not UTF-8 are named by their place only, never shown.
   */
  public static Secret readFrom(Path file) throws IOException {
    String text;
    try {
      text = Utf8Text.decode(Files.readAllBytes(file));
    } catch (Utf8Text.InvalidUtf8Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return new Secret(line.toCharArray());
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** A copy, for the library credential API that needs the characters. */
  public char[] chars() {
    return Arrays.copyOf(value, value.length);
  }

  @Override
  public String toString() {
    return "****";
  }
}
