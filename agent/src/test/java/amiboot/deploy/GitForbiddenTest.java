package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.pipeline.BadInputException;
import amiboot.simulate.LoopbackHttp;
import com.sun.net.httpserver.HttpServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that answers 403 (a token without access to the repository) refuses the credentials:
 * bad input (65), not an outage to retry or to serve the old release through.
 */
class GitForbiddenTest {
  @TempDir Path tmp;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = LoopbackHttp.server(0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(403, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void forbidden_isBadInput_namingTheUrl() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/payroll.git";
    GitSource source = new GitSource(new SourceSpec(RepositoryType.GIT, url, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()), tmp.resolve("repo"));

    BadInputException e = assertThrows(BadInputException.class, source::peek);

    assertTrue(e.getMessage().contains("repository refused the credentials (" + url + ")"), e.getMessage());
  }
}
