package amiboot.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reading a small file that another user can change (a release's REVISION, a pid file under
 * deploy_to) as root: only a regular file, never through a link at its name (REVISION -> /etc/shadow
 * would print root's secrets in {@code amiboot releases}), and never more than a bound (a FIFO or
 * an endless file would hang the read).
 */
public final class UntrustedFile {
  private UntrustedFile() {}

  /** The file's first {@code maxBytes} bytes as UTF-8 text. */
  public static String read(Path file, int maxBytes) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(file.toString(), null, "not a regular file");
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // until full or at the end
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
  }
}
