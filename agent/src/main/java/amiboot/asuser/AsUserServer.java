package amiboot.asuser;

import amiboot.config.RepositoryType;
import amiboot.deploy.BuiltRelease;
import amiboot.deploy.Credentials;
import amiboot.deploy.Deployer;
import amiboot.deploy.GitSource;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.ReleaseStatus;
import amiboot.deploy.Revision;
import amiboot.deploy.SourceRepository;
import amiboot.deploy.SvnSource;
import amiboot.pipeline.BootException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The user's process: reads the setup, then one request at a time from stdin, makes the change
 * with a {@link Deployer} of its own, and answers on stdout, until stdin ends (amiboot is done,
 * or gone). It runs as the app's user, so it owns what it creates and needs no chown.
 */
public final class AsUserServer {
  /** The hidden argument that makes amiboot's main this server (never a command a person runs). */
  public static final String ARGUMENT = "--as-user-release-changes";

  private final Setup setup;
  private final Deployer deployer;

  private AsUserServer(Setup setup) {
    this.setup = setup;
    ReleaseLayout layout = new ReleaseLayout(setup.deployTo());
    this.deployer = new Deployer(layout, setup.shared(), setup.keepReleases(), Clock.systemUTC());
  }

  /** Serves until stdin ends; the exit code (0, or 70 when the stream itself broke). */
  public static int serve(InputStream stdin, OutputStream stdout, PrintStream stderr) {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stdin));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stdout));
    System.setOut(stderr); // stdout is the protocol's: whatever else prints goes to stderr
    try {
      AsUserServer server = new AsUserServer(Setup.readFrom(in));
      while (true) {
        String op;
        try {
          op = Wire.read(in);
        } catch (EOFException e) {
          return 0;
        }
        server.answer(op, in, out);
      }
    } catch (IOException e) {
      stderr.println("amiboot: the deploy as the app's user lost its connection to amiboot: " + e.getMessage());
      return 70;
    }
  }

  private void answer(String op, DataInputStream in, DataOutputStream out) throws IOException {
    try {
      switch (op) {
        case "build" -> {
          String releaseId = Wire.read(in);
          Optional<Credentials> credentials = Setup.readCredentials(in);
          BuiltRelease built = deployer.build(source(credentials), releaseId);
          ok(out);
          writeBuilt(out, built);
        }
        case "build-fetched" -> {
          String releaseId = Wire.read(in);
          Path mirror = Path.of(Wire.read(in));
          String commit = Wire.read(in);
          BuiltRelease built = deployer.build(GitSource.exportFetched(setup.source(), mirror, commit), releaseId);
          ok(out);
          writeBuilt(out, built);
        }
        case "activate" -> {
          BuiltRelease built = readBuilt(in);
          String detail = deployer.activate(built, Wire.read(in));
          ok(out);
          Wire.write(out, detail);
        }
        case "discard" -> {
          deployer.discard(readBuilt(in));
          ok(out);
        }
        case "switch" -> {
          deployer.switchTo(Wire.read(in), Wire.read(in));
          ok(out);
        }
        case "mark" -> {
          deployer.mark(Wire.read(in), ReleaseStatus.valueOf(Wire.read(in)));
          ok(out);
        }
        case "prune" -> {
          List<String> pruned = deployer.prune();
          ok(out);
          Wire.write(out, pruned);
        }
        default -> throw new IOException("unknown request '" + op + "'");
      }
      out.flush();
    } catch (BootException e) {
      Failure.write(out, e);
    } catch (IOException e) {
      if (op.equals("prune")) {
        Failure.write(out, e);
      } else {
        throw e;
      }
    } catch (RuntimeException e) {
      Failure.write(out, new IOException("internal error in the deploy as the app's user: " + e, e));
    }
  }

  /**
   * Made for the build, which alone gets the credentials (a rollback's process never holds them);
   * an svn source checks its revision when made, which is the build's failure.
   */
  private SourceRepository source(Optional<Credentials> credentials) throws BootException {
    return setup.source().type() == RepositoryType.GIT
        ? new GitSource(setup.source(), new ReleaseLayout(setup.deployTo()).repoCache(), credentials)
        : new SvnSource(setup.source(), credentials);
  }

  private static void ok(DataOutputStream out) throws IOException {
    out.writeByte(0);
  }

  static void writeBuilt(DataOutputStream out, BuiltRelease built) throws IOException {
    Wire.write(out, built.id());
    Wire.write(out, built.dir().toString());
    Wire.write(out, built.revision().id());
    Wire.write(out, built.revision().source());
  }

  static BuiltRelease readBuilt(DataInputStream in) throws IOException {
    return new BuiltRelease(Wire.read(in), Path.of(Wire.read(in)), new Revision(Wire.read(in), Wire.read(in)));
  }
}
