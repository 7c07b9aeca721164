package amiboot.simulate;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The JDK's HTTP server on 127.0.0.1, for the in-process stand-ins. */
public final class LoopbackHttp {
  private LoopbackHttp() {}

  /**
   * A server on 127.0.0.1:{@code port} (0: a free one), not started. The JDK's server writes an
   * answer's headers and its body in two writes; without TCP_NODELAY the second waits for the
   * client's delayed ACK, about 40 ms per request (a metadata read of 7 requests took 315 ms
   * instead of 12). The JDK reads this setting once, when its first server is created, so every
   * server amiboot makes goes through here.
   */
  public static HttpServer server(int port) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
  }
}
