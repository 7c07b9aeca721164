package amiboot.asuser;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Strings, optional strings and lists of them, length-prefixed, between amiboot and its user's process. */
final class Wire {
  /** Far above any message or path; a longer one is a broken stream, not data. */
  private static final int MAX_BYTES = 1 << 20;

  private Wire() {}

  static void write(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_BYTES) {
      throw new IOException("broken message from the other side (a string of " + length + " bytes)");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void write(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      write(out, s.get());
    }
  }

  static Optional<String> readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(read(in)) : Optional.empty();
  }

  static void write(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      write(out, s);
    }
  }

  static List<String> readList(DataInputStream in) throws IOException {
    int size = in.readInt();
    if (size < 0 || size > 100_000) {
      throw new IOException("broken message from the other side (a list of " + size + ")");
    }
    List<String> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(read(in));
    }
    return list;
  }
}
