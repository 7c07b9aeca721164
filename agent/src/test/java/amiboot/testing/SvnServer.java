package amiboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Subversion server: {@code svnadmin create}, the content imported as {@code trunk}, and
 * {@code svnserve} on loopback requiring a user name and password (anonymous access off).
 * Needs Debian's {@code subversion} package (.ci/run installs it).
 */
public final class SvnServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path repository;

  private SvnServer(Process process, int port, Path repository) {
    this.process = process;
    this.port = port;
    this.repository = repository;
  }

  public static SvnServer start(Path root, Path content, String user, String password) {
    Path repository = root.resolve("repo");
    try {
      Files.createDirectories(root);
      run(List.of("svnadmin", "create", repository.toString()));
      Files.writeString(repository.resolve("conf/svnserve.conf"),
          "[general]\nanon-access = none\nauth-access = write\npassword-db = passwd\nrealm = amiboot-test\n",
          StandardCharsets.UTF_8);
      Files.writeString(repository.resolve("conf/passwd"), "[users]\n" + user + " = " + password + "\n", StandardCharsets.UTF_8);
      run(List.of("svn", "import", "-q", "-m", "import", content.toString(), repository.toUri() + "trunk"));
      int port = Ports.free();
      Process process = new ProcessBuilder("svnserve", "-d", "--foreground", "--listen-host", "127.0.0.1",
          "--listen-port", Integer.toString(port), "-r", root.toString())
          .redirectErrorStream(true).redirectOutput(root.resolve("svnserve.log").toFile()).start();
      awaitListening(port, process);
      return new SvnServer(process, port, repository);
    } catch (IOException e) {
      throw new UncheckedIOException("svnserve/svnadmin not usable: install Debian's subversion package", e);
    }
  }

  /** svn://127.0.0.1:PORT/repo/trunk */
  public String trunkUrl() {
    return "svn://127.0.0.1:" + port + "/repo/trunk";
  }

  /** Commits a change to trunk through file:// (no auth needed on the server's own disk). */
  public void commit(Path scratch, String file, String text) {
    try {
      Path wc = scratch.resolve("wc-" + System.nanoTime());
      run(List.of("svn", "checkout", "-q", repository.toUri() + "trunk", wc.toString()));
      Path path = wc.resolve(file);
      boolean added = !Files.exists(path);
      Files.createDirectories(path.getParent());
      Files.writeString(path, text, StandardCharsets.UTF_8);
      if (added) {
        run(List.of("svn", "add", "-q", "--parents", path.toString()));
      }
      run(List.of("svn", "commit", "-q", "-m", "change " + file, wc.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitListening(int port, Process process) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("svnserve exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IOException("svnserve did not listen on " + port);
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
