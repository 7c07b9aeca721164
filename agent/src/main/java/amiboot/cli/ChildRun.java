package amiboot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Another amiboot command run in a JVM of its own, launched exactly as this one was (the same
 * java, flags and jar or class path, read from /proc/self/cmdline), sharing this one's stdout and
 * stderr. amiboot start runs its boot and its stop path this way: JGit, SVNKit and the AWS SDK
 * load in a process that ends, and the one that stays resident only supervises.
 */
record ChildRun(List<String> launcher) {
  /** {@code ownArgs}: this process's arguments after the launcher (what main got). */
  static ChildRun likeThisProcess(List<String> ownArgs) throws IOException {
    String cmdline = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
    List<String> all = Arrays.asList(cmdline.split("\0"));
    if (all.size() < ownArgs.size() || !all.subList(all.size() - ownArgs.size(), all.size()).equals(ownArgs)) {
      throw new IOException("cannot tell how this amiboot was launched from /proc/self/cmdline");
    }
    return new ChildRun(List.copyOf(all.subList(0, all.size() - ownArgs.size())));
  }

  /** Runs {@code args} to the end; its exit code. */
  int run(List<String> args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(launcher);
    argv.addAll(args);
    return new ProcessBuilder(argv).inheritIO().start().waitFor();
  }
}
