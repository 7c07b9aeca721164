package amiboot.deploy;

import java.io.File;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where git's system-wide config is, found as git finds it, without running git.
 *
 * <p>JGit asks an installed git where its system config is: it runs {@code git --version} and
 * {@code git config --system --show-origin --list}, on every boot, deploy and plan: 55 ms of a cold
 * {@code amiboot plan} without a class-data archive, 10 ms with one (BENCHMARKS.md, "Cold start").
 * Every distribution's git reads {@code /etc/gitconfig}, or the file named by
 * {@code GIT_CONFIG_SYSTEM} (none when that is empty); JGit itself honours
 * {@code GIT_CONFIG_NOSYSTEM}.
 */
final class GitSystemConfig {
  static final File DEFAULT = new File("/etc/gitconfig");

  private GitSystemConfig() {}

  /** The file git would read, given the environment; empty for none. */
  static Optional<File> locate(UnaryOperator<String> environment) {
    String named = environment.apply("GIT_CONFIG_SYSTEM");
    if (named == null) {
      return Optional.of(DEFAULT);
    }
    return named.isEmpty() ? Optional.empty() : Optional.of(new File(named));
  }
}
