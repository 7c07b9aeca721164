package amiboot.process;

import amiboot.io.FileOwner;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One supervised process of a role's foreground {@code run:} command, numbered like a Procfile
 * process ({@code job.1}, {@code job.2}): its argv, where it runs, its environment (with
 * WORKER_INDEX and PORT), its log and its pid file, and who owns those two: the role's user when
 * amiboot is root, so that the app can reopen its own log (empty: whoever amiboot runs as).
 */
public record WorkerSpec(String role, int index, List<String> argv, Path directory, Map<String, String> env, Path log,
    Path pidFile, Optional<FileOwner> owner) {
  public WorkerSpec {
    argv = List.copyOf(argv);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  public String name() {
    return role + "." + index;
  }
}
