package amiboot.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A password or key read from a file. Its text never reaches toString, logs or state. */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Reads the file's first line (a trailing newline is not part of the password). */
  public static Secret readFrom(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
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
