package amiboot.control;

import amiboot.pipeline.LockHeldException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The control socket of {@code amiboot start}: it answers status, and lets deploy and rollback stop
 * and start the workers it supervises. A start request runs commands, so only the user amiboot runs
 * as may connect: the socket is mode 0600 and every peer's credentials are checked as well.
 */
public final class ControlServer implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path socket;
  private final Workers workers;
  private final Instant since;
  private final Thread acceptor;

  private ControlServer(ServerSocketChannel server, Path socket, Workers workers, Instant since) {
    this.server = server;
    this.socket = socket;
    this.workers = workers;
    this.since = since;
    this.acceptor = new Thread(this::serve, "amiboot-control");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code socket}. A socket another amiboot start still answers on means the service
   * already runs (exit 75 with its pid); one nobody answers on is left from a crash and replaced.
   */
  public static ControlServer open(Path socket, Workers workers, Instant since) throws IOException, LockHeldException {
    Optional<ControlClient.Peer> running = ControlClient.probe(socket);
    if (running.isPresent()) {
      throw new LockHeldException("amiboot start is already running (pid " + running.get().pid() + ", " + socket
          + "): stop that service first, or use amiboot deploy to redeploy");
    }
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      server.close();
      throw e;
    }
    ControlServer control = new ControlServer(server, socket, workers, since);
    control.acceptor.start();
    return control;
  }

  /** Where amiboot start listens: beside the lock and the state file. */
  public static Path socketIn(Path stateDir) {
    return stateDir.resolve("amiboot.sock");
  }

  public Path socket() {
    return socket;
  }

  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // a socket file nobody answers on is replaced by the next start
    }
  }

  /** One connection at a time: requests come from commands that hold the boot lock, or status. */
  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel peer = server.accept()) {
        ObjectNode answer;
        if (!samePeer(peer)) {
          answer = ControlMessages.MAPPER.createObjectNode().put("ok", false).put("error", "not allowed");
        } else {
          answer = answer(Wire.read(peer));
        }
        Wire.write(peer, answer);
      } catch (IOException | RuntimeException e) {
        // a peer that went away, or a closed server: the loop condition decides
      }
    }
  }

  private static boolean samePeer(SocketChannel peer) throws IOException {
    UnixDomainPrincipal principal = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
    return principal.user().getName().equals(System.getProperty("user.name"));
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
