package amiboot.process;

import amiboot.io.FileOwner;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Whom the role's commands run as. As root with {@code user} set, every command is prefixed with
 * {@code setpriv} (util-linux) to drop to that user with its groups; otherwise commands run as the
 * invoking user. The JVM cannot change its own uid, and setpriv keeps argv free of secrets.
 */
public record RunAs(Optional<Account> account, String note) {
  /** A local account from the passwd database. */
  public record Account(String name, int uid, int gid, Path home) {}

  public static RunAs invokingUser(String note) {
    return new RunAs(Optional.empty(), note);
  }

  /** Resolves {@code user} (when amiboot is root); a user that does not exist is a config error. */
  public static RunAs resolve(Optional<String> user) throws BootException {
    if (user.isEmpty()) {
      return invokingUser("as the invoking user");
    }
    if (currentUid() != 0) {
      return invokingUser("as the invoking user (user " + user.get() + " needs amiboot to run as root)");
    }
    Account account = lookup(user.get());
    return new RunAs(Optional.of(account), "as " + account.name() + " (uid " + account.uid() + ")");
  }

  /** The argv that runs {@code command} as this user. */
  public List<String> wrap(List<String> command) {
    if (account.isEmpty()) {
      return command;
    }
    Account a = account.get();
    List<String> argv = new ArrayList<>(List.of(
        "setpriv", "--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups", "--"));
    argv.addAll(command);
    return argv;
  }

  /**
   * Runs a short command of amiboot's own (a kill, an append to the app's log) as this user: in /,
   * with no input, its output discarded, an environment without amiboot's (which may hold AWS
   * credentials), ended after {@code limit}. Throws when it cannot start at all.
   */
  public void runQuietly(List<String> command, Duration limit) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(wrap(command)).directory(new File("/"))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(CommandRunner.environment(identityEnv()));
    Process process = builder.start();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }

  /** Who should own the files amiboot creates for the app: the account, when commands run as one. */
  public Optional<FileOwner> owner() {
    return account.map(a -> new FileOwner(a.uid(), a.gid()));
  }

  /** HOME, USER and LOGNAME of the account, for the child's environment. */
  public Map<String, String> identityEnv() {
    return account.map(a -> Map.of("HOME", a.home().toString(), "USER", a.name(), "LOGNAME", a.name()))
        .orElse(Map.of());
  }

  static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static Account lookup(String name) throws BootException {
    return find(name).orElseThrow(() -> new BadInputException(
        "user '" + name + "' does not exist on this box: create it in the image (useradd) or change user:"));
  }

  /** The account {@code name} from this box's passwd database (getent), or empty when it has none. */
  public static Optional<Account> find(String name) throws BadInputException {
    String line;
    try {
      line = new ProcessExecutor().command("getent", "passwd", name).readOutput(true).exitValueAny()
          .timeout(10, TimeUnit.SECONDS).execute().outputUTF8().trim();
    } catch (IOException | TimeoutException e) {
      throw new BadInputException("cannot look up user '" + name + "' (getent passwd): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted while looking up user '" + name + "'");
    }
    String[] f = line.split(":");
    if (f.length < 7 || !f[0].equals(name)) {
      return Optional.empty();
    }
    return Optional.of(new Account(name, Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[5])));
  }
}
