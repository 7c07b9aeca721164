package amiboot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The parsed {@code amiboot.yml}, before user-data and metadata are applied. */
public record AgentConfig(
    Path source,
    Optional<String> user,
    Path deployTo,
    RepositoryConfig repository,
    int keepReleases,
    Path hostsFile,
    Path stateDir,
    SharedConfig shared,
    Map<String, Template> hosts,
    Optional<String> roleFrom,
    Optional<String> role,
    Map<String, RoleConfig> roles,
    Duration metadataTimeout) {

  public static final Path DEFAULT_HOSTS_FILE = Path.of("/etc/hosts");
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/amiboot");
  public static final int DEFAULT_KEEP_RELEASES = 5;
  /** cloud-init waits up to 240 s for the metadata service at boot; so do we by default. */
  public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofSeconds(240);

  public AgentConfig {
    hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
  }

  /**
   * The same config with every path amiboot writes (deploy_to, hosts_file, state_dir) moved under
   * {@code root}: {@code /home/payroll} becomes {@code root/home/payroll}. What simulate boots into.
   */
  public AgentConfig rerootedUnder(Path root) {
    return new AgentConfig(source, user, reroot(root, deployTo), repository, keepReleases, reroot(root, hostsFile),
        reroot(root, stateDir), shared, hosts, roleFrom, role, roles, metadataTimeout);
  }

  private static Path reroot(Path root, Path path) {
    Path absolute = path.toAbsolutePath();
    return root.resolve(absolute.getRoot().relativize(absolute).toString());
  }
}
