package amiboot.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A working copy of a test repository, changed with the svn command line over file:// (the
 * server's own disk, no credentials), so that tests can commit what a real team commits: adds,
 * edits, deletes, renames, property changes, symlinks.
 */
final class SvnWorkingCopy {
  private static final Pattern COMMITTED = Pattern.compile("Committed revision (\\d+)\\.");
  private final Path dir;

  private SvnWorkingCopy(Path dir) {
    this.dir = dir;
  }

  /** {@code url}: file:///.../repo/trunk */
  static SvnWorkingCopy checkout(String url, Path dir) {
    svn(dir.getParent(), "checkout", "-q", url, dir.toString());
    return new SvnWorkingCopy(dir);
  }

  /** Writes a file, adding it (and its directories) if it is new. */
  SvnWorkingCopy write(String path, String text) {
    Path file = dir.resolve(path);
    boolean added = !Files.exists(file);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (added) {
      svn(dir, "add", "-q", "--parents", path);
    }
    return this;
  }

  SvnWorkingCopy symlink(String path, String target) {
    try {
      Files.deleteIfExists(dir.resolve(path));
      Files.createSymbolicLink(dir.resolve(path), Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  SvnWorkingCopy add(String path) {
    svn(dir, "add", "-q", "--parents", path);
    return this;
  }

  SvnWorkingCopy propset(String name, String value, String path) {
    svn(dir, "propset", "-q", name, value, path);
    return this;
  }

  SvnWorkingCopy propdel(String name, String path) {
    svn(dir, "propdel", "-q", name, path);
    return this;
  }

  SvnWorkingCopy remove(String path) {
    svn(dir, "rm", "-q", path);
    return this;
  }

  SvnWorkingCopy move(String from, String to) {
    svn(dir, "mv", "-q", "--parents", from, to);
    return this;
  }

  /** Commits everything and brings the working copy up to date; returns the new revision. */
  long commit(String message) {
    String out = svn(dir, "commit", "-m", message);
    svn(dir, "update", "-q");
    Matcher m = COMMITTED.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("nothing committed: " + out);
    }
    return Long.parseLong(m.group(1));
  }

  static String svn(Path cwd, String... args) {
    List<String> command = new ArrayList<>(List.of("svn", "--non-interactive"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
