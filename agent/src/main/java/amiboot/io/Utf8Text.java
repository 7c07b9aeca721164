package amiboot.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding that says where the text went wrong: the JDK's own error is
 * "Input length = 1", which names neither the byte nor the line.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /** The text of {@code bytes}; throws {@link InvalidUtf8Exception} at the first byte that is not UTF-8. */
  public static String decode(byte[] bytes) throws InvalidUtf8Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new InvalidUtf8Exception(in.position(), lineAt(bytes, in.position()));
    }
    return out.flip().toString();
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Bytes that are not UTF-8, at {@code offset} (counted from 0) on {@code line} (from 1). */
  public static final class InvalidUtf8Exception extends Exception {
    private final int offset;
    private final int line;

    InvalidUtf8Exception(int offset, int line) {
      super("not valid UTF-8 at byte " + offset + " (line " + line + ")");
      this.offset = offset;
      this.line = line;
    }

    public int offset() {
      return offset;
    }

    public int line() {
      return line;
    }
  }
}
