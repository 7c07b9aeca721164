package amiboot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the code comes from. The password is read from {@code passwordFile} only when needed.
 * {@code revisionFrom}/{@code branchFrom} name user-data keys (REVISION=, BRANCH=) that, when
 * given, pin what to deploy over {@code revision}/{@code branch}.
 */
public record RepositoryConfig(
    RepositoryType type,
    Template url,
    Optional<Template> username,
    Optional<Path> passwordFile,
    Optional<Template> branch,
    Optional<Template> revision,
    Optional<String> revisionFrom,
    Optional<String> branchFrom,
    Duration timeout) {
  /** How long the first contact with the repository is retried at boot (the network may just be coming up). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
}
