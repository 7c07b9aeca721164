package amiboot.process;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One supervised process of a role's foreground {@code run:} command, numbered like a Procfile
 * process ({@code job.1}, {@code job.2}): its argv, where it runs, its environment (with
 * WORKER_INDEX and PORT), its log and its pid file, and whom it runs as: that user also owns the
 * log and the pid file, so that the app can reopen its own log.
 */
public record WorkerSpec(String role, int index, List<String> argv, Path directory, Map<String, String> env, Path log,
    Path pidFile, RunAs runAs) {
  public WorkerSpec {
    argv = List.copyOf(argv);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  public String name() {
    return role + "." + index;
  }

  AppLog appLog() {
    return new AppLog(log, runAs);
  }
}
