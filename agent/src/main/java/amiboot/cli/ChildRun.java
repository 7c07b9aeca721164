package amiboot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Another amiboot command run in a JVM of its own, launched exactly as this one was (the same
 * java, flags and jar or class path, read from /proc/self/cmdline), sharing this one's stdout and
 * stderr. amiboot start runs its boot and its stop path this way: JGit, SVNKit and the AWS SDK
 * load in a process that ends, and the one that stays resident only supervises.
 */
record ChildRun(List<String> launcher, List<String> options) {
  /**
   * JVM flags for the children only, from the launcher: the class-data archive, which speeds up a
   * boot's start but would keep ~20 MB more resident in the supervising process (BENCHMARKS.md).
   */
  static final String CHILD_JAVA_OPTS = "AMIBOOT_CHILD_JAVA_OPTS";

  /**
   * {@code ownArgs}: this process's arguments after the launcher (what main got); the options
   * after {@code command} in them (config, metadata timeout) are passed on to every child.
   */
  static ChildRun likeThisProcess(List<String> ownArgs, String command) throws IOException {
    String cmdline = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
    List<String> all = Arrays.asList(cmdline.split("\0"));
    if (all.size() < ownArgs.size() || !all.subList(all.size() - ownArgs.size(), all.size()).equals(ownArgs)) {
      throw new IOException("cannot tell how this amiboot was launched from /proc/self/cmdline");
    }
    return new ChildRun(List.copyOf(all.subList(0, all.size() - ownArgs.size())),
        List.copyOf(ownArgs.subList(ownArgs.indexOf(command) + 1, ownArgs.size())));
  }

  /**
   * This launcher with each jar or class path entry that is gone (the package removed while the
   * service runs) replaced by this process's open file of it ({@code /proc/PID/fd/N}): the JVM keeps
   * its jar open, and a child launched while this process lives can read it there.
   */
  ChildRun withOpenFilesForMissingEntries() {
    List<String> argv = new ArrayList<>(launcher);
    for (int i = 0; i + 1 < argv.size(); i++) {
      if (List.of("-jar", "-cp", "-classpath", "--class-path").contains(argv.get(i))) {
        List<String> entries = new ArrayList<>();
        for (String entry : argv.get(i + 1).split(":", -1)) {
          entries.add(entry.isEmpty() || Files.exists(Path.of(entry)) ? entry : openFileOf(entry).orElse(entry));
        }
        argv.set(i + 1, String.join(":", entries));
      }
    }
    return new ChildRun(argv, options);
  }

  /** The /proc path of this process's open file descriptor on {@code deleted}, if it has one. */
  private static Optional<String> openFileOf(String deleted) {
    Path fds = Path.of("/proc/self/fd");
    try (Stream<Path> all = Files.list(fds)) {
      for (Path fd : (Iterable<Path>) all::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals(deleted + " (deleted)")) {
            return Optional.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd.getFileName());
          }
        } catch (IOException e) {
          // a descriptor closed while listing
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** This launcher with {@code flags} (space-separated; null or blank: none) right after the java binary. */
  ChildRun withJvmFlags(String flags) {
    if (flags == null || flags.isBlank()) {
      return this;
    }
    List<String> argv = new ArrayList<>(launcher);
    argv.addAll(1, List.of(flags.strip().split("\\s+")));
    return new ChildRun(argv, options);
  }

  /** Runs {@code command} with this process's options to the end; its exit code. */
  int run(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(withOpenFilesForMissingEntries().launcher());
    argv.addAll(List.of(command));
    argv.addAll(options);
    return new ProcessBuilder(argv).inheritIO().start().waitFor();
  }
}
