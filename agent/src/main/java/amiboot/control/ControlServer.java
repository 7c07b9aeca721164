package amiboot.control;

import amiboot.pipeline.BootException;
import amiboot.pipeline.BootLock;
import amiboot.pipeline.LockHeldException;
import amiboot.pipeline.Sleeper;
import amiboot.process.WorkerSpec;
import amiboot.process.Workers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The control socket of {@code amiboot start}: it answers status, and lets deploy and rollback stop
 * and start the workers it supervises. A start request runs commands, so only the user amiboot runs
 * as may connect: the socket is mode 0600 and every peer's credentials are checked as well.
 */
public final class ControlServer implements AutoCloseable {
  /** How long a peer gets to send its request: a stuck one must not hold up a deploy. */
  private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);

  private final ServerSocketChannel server;
  private final Path socket;
  private final BootLock serviceLock;
  private final Workers workers;
  private final Instant since;
  private final Thread acceptor;

  private ControlServer(ServerSocketChannel server, Path socket, BootLock serviceLock, Workers workers, Instant since) {
    this.server = server;
    this.socket = socket;
    this.serviceLock = serviceLock;
    this.workers = workers;
    this.since = since;
    this.acceptor = new Thread(this::serve, "amiboot-control");
    acceptor.setDaemon(true);
  }

  /** Where amiboot start listens: beside the lock and the state file. */
  public static Path socketIn(Path stateDir) {
    return stateDir.resolve("amiboot.sock");
  }

  /**
   * Listens on {@code socket}, holding {@code amiboot-start.lock} beside it for this process's life:
   * while another amiboot start holds it, this one exits 75 with its pid; once nobody does, a
   * socket file left behind is a crashed one's, and is replaced.
   */
  public static ControlServer open(Path socket, Workers workers, Instant since) throws IOException, BootException {
    BootLock serviceLock;
    try {
      serviceLock = BootLock.acquireFile(socket.resolveSibling("amiboot-start.lock"), Duration.ZERO, Clock.systemUTC(),
          Sleeper.SYSTEM);
    } catch (LockHeldException e) {
      throw new LockHeldException("amiboot start is already running (pid " + e.holder() + ", " + socket
          + "): stop that service first, or use amiboot deploy to redeploy", e.holder());
    }
    ServerSocketChannel server = null;
    try {
      Files.deleteIfExists(socket);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      if (server != null) {
        server.close();
      }
      serviceLock.close();
      throw e;
    }
    ControlServer control = new ControlServer(server, socket, serviceLock, workers, since);
    control.acceptor.start();
    return control;
  }

  /** Stops answering: deploys and status find no amiboot start from now on. */
  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // a socket file nobody answers on is replaced by the next start
    } finally {
      serviceLock.close();
    }
  }

  /** One connection at a time: requests come from commands that hold the boot lock, or status. */
  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel peer = server.accept()) {
        CompletableFuture<Void> cutOff = Wire.cutOffAfter(REQUEST_LIMIT, peer);
        JsonNode request;
        try {
          request = Wire.read(peer); // read even a refused peer's request: closing on unread data resets the connection
        } finally {
          cutOff.cancel(false);
        }
        Wire.write(peer, Peers.isSelf(peer) ? answer(request)
            : ControlMessages.MAPPER.createObjectNode().put("ok", false).put("error", "not allowed"));
      } catch (IOException | RuntimeException e) {
        // a peer that went away or was cut off, or a closed server: the loop condition decides
      }
    }
  }

  private ObjectNode answer(JsonNode request) {
    ObjectNode answer = ControlMessages.MAPPER.createObjectNode().put("ok", true)
        .put("pid", ProcessHandle.current().pid()).put("since", since.toString());
    try {
      switch (request.path("op").asText()) {
        case "ping" -> { }
        case "status" -> {
          ArrayNode list = answer.putArray("workers");
          workers.statuses().forEach(s -> list.add(ControlMessages.status(s)));
        }
        case "start" -> {
          List<WorkerSpec> specs = new ArrayList<>();
          request.path("workers").forEach(w -> specs.add(ControlMessages.spec(w)));
          workers.start(specs);
        }
        case "stop" -> answer.put("stopped", workers.stop(Duration.ofMillis(request.path("timeout_ms").asLong())));
        default -> {
          return answer.put("ok", false).put("error", "unknown request " + request.path("op"));
        }
      }
      return answer;
    } catch (IOException | RuntimeException e) {
      return answer.put("ok", false).put("error", String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return answer.put("ok", false).put("error", "interrupted");
    }
  }
}
