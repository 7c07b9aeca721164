package amiboot.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The instance's user-data as the metadata service serves it: bytes, not text, since cloud-init
 * (and amiboot) accept it gzip-compressed.
 */
public record RawUserData(byte[] bytes) {
  /**
   * The most amiboot reads, or inflates gzip-compressed user-data to: far above the 16 KB EC2
   * serves; more is refused where it is parsed.
   */
  public static final int MAX_BYTES = 1 << 20;

  public RawUserData {
    bytes = bytes.clone();
  }

  public static RawUserData utf8(String text) {
    return new RawUserData(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Starts with gzip's magic number (1f 8b). */
  public boolean gzipped() {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawUserData o && Arrays.equals(bytes, o.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bytes.length + " bytes of user-data" + (gzipped() ? " (gzip)" : "");
  }
}
