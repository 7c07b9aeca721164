package amiboot.asuser;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.deploy.BuiltRelease;
import amiboot.deploy.Credentials;
import amiboot.deploy.GitSource;
import amiboot.deploy.ReleaseChanges;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.ReleaseStatus;
import amiboot.deploy.Revision;
import amiboot.deploy.SourceSpec;
import amiboot.pipeline.BootException;
import amiboot.pipeline.CannotWriteException;
import amiboot.process.CommandRunner;
import amiboot.process.RunAs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A run's changes under deploy_to, made by a JVM of amiboot's running as the app's user
 * ({@link AsUserServer}), started on the first change (a plan starts none) and ended by
 * {@link #close}. Root hands the user the layout's directories it made first ({@link HandOver}).
 */
public final class AsUserChanges implements ReleaseChanges {
  /** Beside the commands' environment, the user's JVM gets these: no AWS credentials, nothing the deploy does not read. */
  private static final List<String> GIT_SETTINGS = List.of("GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM");

  private final RunAs.Account account;
  private final RunAs runAs;
  private final ReleaseLayout layout;
  private final Setup setup;
  private final Optional<Credentials> credentials;
  private final Path rootsMirror;
  private Process process;
  private DataOutputStream out;
  private DataInputStream in;

  private AsUserChanges(RunAs runAs, ReleaseLayout layout, Setup setup, Optional<Credentials> credentials,
      Path rootsMirror) {
    this.credentials = credentials;
    this.rootsMirror = rootsMirror;
    this.runAs = runAs;
    this.account = runAs.account().orElseThrow();
    this.layout = layout;
    this.setup = setup;
  }

  /** {@code runAs} names the user; the password (when the source has one) is read now, as root. */
  /** {@code rootsMirror}: where root keeps its git mirror (in state_dir, root's alone). */
  public static AsUserChanges of(RunAs runAs, ReleaseLayout layout, SharedConfig shared, int keepReleases, SourceSpec source,
      Path rootsMirror) throws BootException {
    Setup setup = new Setup(layout.deployTo(), shared, keepReleases, source);
    return new AsUserChanges(runAs, layout, setup, Credentials.of(source), rootsMirror);
  }

  /**
   * Git: root fetches, with the credentials, into a mirror of its own outside deploy_to, and the
   * user's process only reads it to write the release; the password never reaches a process of the
   * user's. Subversion has no such mirror: the user's process talks to the server, with them.
   */
  @Override
  public BuiltRelease build(String releaseId) throws BootException {
    if (setup.source().type() == RepositoryType.GIT) {
      Revision fetched = new GitSource(setup.source(), rootsMirror, credentials).fetch();
      DataInputStream answer = call("build-fetched", releaseId, rootsMirror.toString(), fetched.id());
      BuiltRelease built = checked(releaseId, read(() -> AsUserServer.readBuilt(answer)));
      return new BuiltRelease(built.id(), built.dir(), fetched);
    }
    DataInputStream answer = call("build", releaseId, credentials);
    return checked(releaseId, read(() -> AsUserServer.readBuilt(answer)));
  }

  private BuiltRelease checked(String releaseId, BuiltRelease built) throws CannotWriteException {
    if (!built.id().equals(releaseId) || !built.dir().equals(layout.release(releaseId))) {
      throw new CannotWriteException("the deploy as user " + account.name() + " answered with another release ("
          + built.dir() + ") than asked for (" + layout.release(releaseId) + ")");
    }
    return built;
  }

  @Override
  public void ready() throws BootException {
    try {
      start();
    } catch (IOException e) {
      throw ended(e);
    }
  }

  @Override
  public String activate(BuiltRelease built, String deployedBy) throws BootException {
    DataInputStream answer = call("activate", built, deployedBy);
    return read(() -> Wire.read(answer));
  }

  @Override
  public void discard(BuiltRelease built) {
    try {
      call("discard", built);
    } catch (BootException e) {
      // never current: the next deploy removes what is left of it
    }
  }

  @Override
  public void switchTo(String releaseId, String why) throws BootException {
    call("switch", releaseId, why);
  }

  @Override
  public void mark(String releaseId, ReleaseStatus status) throws BootException {
    call("mark", releaseId, status.name());
  }

  @Override
  public List<String> prune() throws IOException {
    try {
      DataInputStream answer = call("prune");
      return read(() -> Wire.readList(answer));
    } catch (BootException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Reading<T> {
    T read() throws IOException;
  }

  /** Sends one request; the stream to read its answer from, or the failure it reported, thrown. */
  private synchronized DataInputStream call(String op, Object... args) throws BootException {
    Exception failure;
    try {
      start();
      Wire.write(out, op);
      for (Object arg : args) {
        if (arg instanceof BuiltRelease built) {
          AsUserServer.writeBuilt(out, built);
        } else if (arg instanceof Optional<?> secret) {
          @SuppressWarnings("unchecked")
          Optional<Credentials> credentialsArg = (Optional<Credentials>) secret;
          Setup.writeCredentials(out, credentialsArg);
        } else {
          Wire.write(out, (String) arg);
        }
      }
      out.flush();
      failure = Failure.read(in);
    } catch (IOException e) {
      throw ended(e);
    }
    if (failure instanceof BootException boot) {
      throw boot;
    }
    if (failure != null) {
      throw new CannotWriteException(failure.getMessage(), failure);
    }
    return in;
  }

  private <T> T read(Reading<T> reading) throws BootException {
    try {
      return reading.read();
    } catch (IOException e) {
      throw ended(e);
    }
  }

  private void start() throws IOException, BootException {
    if (process != null) {
      return;
    }
    HandOver.toUser(layout, setup.shared(), runAs.owner().orElseThrow(), account.name());
    List<String> argv = new ArrayList<>(JavaLauncher.forTheUser(JavaLauncher.ofThisProcess()));
    argv.add(AsUserServer.ARGUMENT);
    ProcessBuilder builder = new ProcessBuilder(runAs.wrap(argv)).directory(new File("/"))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().clear();
    builder.environment().putAll(environment());
    process = builder.start();
    out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    setup.writeTo(out);
  }

  /** The commands' environment (PATH and the locale, the user's identity), and where git's system config is. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(CommandRunner.environment(runAs.identityEnv()));
    for (String key : GIT_SETTINGS) {
      Optional.ofNullable(System.getenv(key)).ifPresent(v -> env.put(key, v));
    }
    return env;
  }

  private CannotWriteException ended(IOException e) {
    if (process == null) {
      return new CannotWriteException("cannot start the deploy as user " + account.name() + " (setpriv, java): "
          + e.getMessage() + "; amiboot's jar and java must be readable by that user", e);
    }
    String exit = waitQuietly() ? " (it exited " + process.exitValue() + ")" : "";
    String why = e instanceof java.io.EOFException ? "no answer" : e.getMessage();
    return new CannotWriteException("the deploy as user " + account.name() + " stopped" + exit + ": " + why
        + "; see the lines above", e);
  }

  private boolean waitQuietly() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Ends the user's JVM: its stdin closes, it exits. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // it is ending either way
    }
    if (!waitQuietly()) {
      process.destroyForcibly();
    }
    process = null;
  }
}
