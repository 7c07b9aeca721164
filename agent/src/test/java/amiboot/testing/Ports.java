package amiboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port nobody listens on right now, for a server that a test starts later (the example app,
 * svnserve). Picked below the kernel's ephemeral range (32768 and up), which every outgoing
 * connection draws its source port from: a port from that range can be taken in between.
 */
public final class Ports {
  private static final int LOW = 20000;
  private static final int HIGH = 32000;

  private Ports() {}

  public static int free() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port), 1);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new UncheckedIOException(new IOException("no free port in " + LOW + "-" + HIGH));
  }
}
