package amiboot.asuser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How this JVM was launched, up to and including its jar or main class (from /proc/self/cmdline):
 * the same java, flags, class-data archive and class path for the user's process.
 */
final class JavaLauncher {
  /** The launcher's options that take the next argument as their value. */
  private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
      "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules",
      "--upgrade-module-path");

  private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

  private JavaLauncher() {}

  /** The user's process starts in /, not in this one's directory: a relative jar or class path entry is made absolute. */
  private static String absolute(String paths) {
    List<String> entries = new ArrayList<>();
    for (String entry : paths.split(":", -1)) {
      entries.add(entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(":", entries);
  }

  static List<String> ofThisProcess() throws IOException {
    String cmdline = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
    return upToMain(List.of(cmdline.split("\0")));
  }

  /**
   * This launcher for the user's process: the flags that would let the user read its memory (the
   * password of a build) or fill its stdout, the protocol's, left out (agents, heap dumps, logging
   * to stdout); attaching, the perf data file and the user's home (JGit would read the user's
   * ~/.gitconfig: an insteadOf there could send the password elsewhere) turned off.
   */
  static List<String> forTheUser(List<String> launcher) {
    // the jar (-jar JAR) or the main class last; the class path, if any, among the flags
    int main = launcher.size() - (launcher.size() > 2 && launcher.get(launcher.size() - 2).equals("-jar") ? 2 : 1);
    List<String> argv = new ArrayList<>();
    argv.add(launcher.get(0));
    for (String flag : launcher.subList(1, main)) {
      if (!UNSAFE_FOR_THE_USER.matcher(flag).lookingAt()) {
        argv.add(flag);
      }
    }
    argv.addAll(List.of("-XX:+DisableAttachMechanism", "-XX:-UsePerfData", "-XX:+DisplayVMOutputToStderr",
        "-Xlog:disable", "-Xlog:all=warning:stderr", "-Duser.home=/nonexistent"));
    argv.addAll(launcher.subList(main, launcher.size()));
    return argv;
  }

  private static final java.util.regex.Pattern UNSAFE_FOR_THE_USER = java.util.regex.Pattern.compile(
      "-javaagent|-agentlib|-agentpath|-Xlog|-verbose|-Xdebug|-Xrun|-XX:[+-]?HeapDump|-XX:OnOutOfMemoryError|-XX:OnError"
          + "|-XX:ErrorFile|-XX:[+-]?StartAttachListener|-Duser\\.home");

  static List<String> upToMain(List<String> argv) throws IOException {
    List<String> launcher = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      launcher.add(arg);
      if (i == 0) {
        continue; // java itself
      }
      if (arg.equals("-jar") || WITH_VALUE.contains(arg)) {
        if (i + 1 >= argv.size()) {
          break;
        }
        String value = argv.get(++i);
        launcher.add(arg.equals("-jar") || CLASS_PATH.contains(arg) ? absolute(value) : value);
        if (arg.equals("-jar")) {
          return launcher;
        }
      } else if (!arg.startsWith("-")) {
        return launcher; // the main class
      }
    }
    throw new IOException("cannot tell how this amiboot was launched from /proc/self/cmdline");
  }
}
