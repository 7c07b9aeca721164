package amiboot.control;

import amiboot.process.WorkerSpec;
import amiboot.process.WorkerStatus;
import amiboot.process.Workers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The workers of a running {@code amiboot start}, reached through its control socket. */
public final class ControlClient implements Workers {
  /** Enough for an answer that needs no work; start and stop get their own bounds. */
  private static final Duration QUICK = Duration.ofSeconds(10);
  /** Beyond the stop timeout: the server's own SIGKILL wait and its bookkeeping. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

  /** The amiboot start process behind a socket. */
  public record Peer(long pid, Instant since) {}

  /** The status of the workers and of the process supervising them. */
  public record Snapshot(Peer peer, List<WorkerStatus> workers) {}

  private final Path socket;
  private final Optional<Peer> peer;

  private ControlClient(Path socket, Optional<Peer> peer) {
    this.socket = socket;
    this.peer = peer;
  }

  /** The amiboot start this client found (empty only for the probe itself). */
  public Peer peer() {
    return peer.orElseThrow();
  }

  /**
   * A client for the amiboot start answering on {@code socket}; empty when none runs (no socket,
   * or one a crashed start left, which refuses connections).
   *
   * @throws IOException when a socket is there but gives no usable answer: a busy or stuck amiboot
   *     start, or one this user may not talk to
   */
  public static Optional<ControlClient> connect(Path socket) throws IOException {
    if (!Files.exists(socket)) {
      return Optional.empty();
    }
    try {
      Peer found = peer(new ControlClient(socket, Optional.empty()).call(ControlMessages.request("ping"), QUICK));
      return Optional.of(new ControlClient(socket, Optional.of(found)));
    } catch (ConnectException e) {
      return Optional.empty();
    }
  }

  public Snapshot snapshot() throws IOException {
    JsonNode answer = call(ControlMessages.request("status"), QUICK);
    List<WorkerStatus> workers = new ArrayList<>();
    for (JsonNode w : answer.path("workers")) {
      try {
        workers.add(ControlMessages.status(w));
      } catch (IllegalArgumentException e) {
        throw new IOException("unreadable worker status from " + socket + ": " + e.getMessage(), e);
      }
    }
    return new Snapshot(peer(answer), workers);
  }

  @Override
  public void start(List<WorkerSpec> specs) throws IOException {
    ObjectNode request = ControlMessages.request("start");
    ArrayNode list = request.putArray("workers");
    specs.forEach(s -> list.add(ControlMessages.spec(s)));
    call(request, QUICK.multipliedBy(3));
  }

  @Override
  public int stop(Duration timeout) throws IOException {
    return call(ControlMessages.request("stop").put("timeout_ms", timeout.toMillis()), timeout.plus(STOP_MARGIN))
        .path("stopped").asInt();
  }

  @Override
  public List<WorkerStatus> statuses() throws IOException {
    return snapshot().workers();
  }

  /** One request, one answer; a server that does not answer within {@code limit} is cut off. */
  private JsonNode call(ObjectNode request, Duration limit) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      CompletableFuture<Void> cutOff = Wire.cutOffAfter(limit, channel);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        if (!Peers.isSelf(channel)) {
          throw new IOException(socket + " is served by another user's process: not amiboot start");
        }
        Wire.write(channel, request);
        JsonNode answer = Wire.read(channel);
        if (!answer.path("ok").asBoolean(false)) {
          throw new IOException(socket + ": " + answer.path("error").asText("no answer"));
        }
        return answer;
      } catch (AsynchronousCloseException e) {
        throw new IOException(socket + ": no answer within " + limit.toSeconds() + "s", e);
      } finally {
        cutOff.cancel(false);
      }
    }
  }

  private static Peer peer(JsonNode answer) throws IOException {
    try {
      return new Peer(answer.path("pid").asLong(), Instant.parse(answer.path("since").asText()));
    } catch (DateTimeParseException e) {
      throw new IOException("unreadable answer: " + e.getMessage(), e);
    }
  }
}
