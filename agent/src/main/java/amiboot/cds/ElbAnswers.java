package amiboot.cds;

import amiboot.simulate.LoopbackHttp;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An endpoint on 127.0.0.1 that answers every request with one instance InService, as classic ELB
 * answers DescribeInstanceHealth. Enough for the SDK's client to sign, send and parse a call of
 * each kind the boot makes (register and deregister ignore what comes back), and for the health
 * probe's GET. Not a stand-in: it checks nothing.
 */
final class ElbAnswers implements AutoCloseable {
  private final HttpServer server;
  private final byte[] answer;

  private ElbAnswers(HttpServer server, String instanceId) {
    this.server = server;
    this.answer = ("<DescribeInstanceHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">"
        + "<DescribeInstanceHealthResult><InstanceStates><member><InstanceId>" + instanceId + "</InstanceId>"
        + "<State>InService</State><ReasonCode>N/A</ReasonCode><Description>N/A</Description></member>"
        + "</InstanceStates></DescribeInstanceHealthResult>"
        + "<ResponseMetadata><RequestId>training</RequestId></ResponseMetadata></DescribeInstanceHealthResponse>")
        .getBytes(StandardCharsets.UTF_8);
  }

  static ElbAnswers start(String instanceId) throws IOException {
    HttpServer server = LoopbackHttp.server(0);
    ElbAnswers answers = new ElbAnswers(server, instanceId);
    server.createContext("/", answers::answer);
    server.start();
    return answers;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
