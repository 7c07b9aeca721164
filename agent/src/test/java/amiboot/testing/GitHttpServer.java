package amiboot.testing;

import amiboot.simulate.LoopbackHttp;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Real smart-HTTP git: the JDK's HTTP server in front of {@code git http-backend} (git's own CGI),
 * requiring HTTP Basic authentication, so that a test proves a password travels through JGit's
 * credentials provider and nowhere else.
 */
public final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path projectRoot;
  private final String expectedAuthorization;

  private GitHttpServer(Path projectRoot, String user, String password) throws IOException {
    this.projectRoot = projectRoot;
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.server = LoopbackHttp.server(0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Serves the bare repositories under {@code projectRoot} to {@code user} with {@code password}. */
  public static GitHttpServer start(Path projectRoot, String user, String password) {
    try {
      return new GitHttpServer(projectRoot, user, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** http://127.0.0.1:PORT/NAME */
  public String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      ProcessBuilder cgi = new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", projectRoot.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
      env.put("CONTENT_LENGTH", Integer.toString(body.length));
      env.put("REMOTE_USER", "deploy");
      env.put("REMOTE_ADDR", "127.0.0.1");
      copyHeader(exchange, "Content-Type", "CONTENT_TYPE", env);
      copyHeader(exchange, "Content-Encoding", "HTTP_CONTENT_ENCODING", env);
      copyHeader(exchange, "Git-Protocol", "GIT_PROTOCOL", env);
      Process process = cgi.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(body);
      }
      byte[] output = readAll(process.getInputStream());
      process.waitFor(30, TimeUnit.SECONDS);
      respond(exchange, output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A CGI answer: header lines, a blank line, the body; "Status: NNN" sets the status. */
  private static void respond(HttpExchange exchange, byte[] output) throws IOException {
    int split = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int skip = 4;
    if (split < 0) {
      split = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
      skip = 2;
    }
    String head = new String(output, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1);
    int status = 200;
    for (String line : head.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    int start = split < 0 ? 0 : split + skip;
    int length = output.length - start;
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length > 0) {
      exchange.getResponseBody().write(output, start, length);
    }
  }

  private static void copyHeader(HttpExchange exchange, String header, String variable, Map<String, String> env) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
