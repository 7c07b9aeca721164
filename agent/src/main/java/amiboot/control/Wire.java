package amiboot.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One JSON document each way per connection, the writer closing its side to end it. */
final class Wire {
  /** Far above any request (a start request carries a few workers' argv and environment). */
  private static final int MAX_BYTES = 1 << 20;

  private Wire() {}

  static JsonNode read(SocketChannel channel) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.read(buffer) >= 0) {
      bytes.write(buffer.array(), 0, buffer.position());
      buffer.clear();
      if (bytes.size() > MAX_BYTES) {
        throw new IOException("message larger than " + MAX_BYTES + " bytes");
      }
    }
    return ControlMessages.MAPPER.readTree(bytes.toByteArray());
  }

  /** Closes {@code channel} after {@code limit} unless cancelled: how a blocked read is cut off. */
  static CompletableFuture<Void> cutOffAfter(Duration limit, SocketChannel channel) {
    return CompletableFuture.runAsync(() -> {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing is the point
      }
    }, CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS));
  }

  static void write(SocketChannel channel, JsonNode message) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(ControlMessages.MAPPER.writeValueAsBytes(message));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.shutdownOutput();
  }
}
