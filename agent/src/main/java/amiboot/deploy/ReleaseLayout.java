package amiboot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Capistrano's layout under {@code deploy_to}: releases/, shared/, current, revisions.log, and the repo cache. */
public record ReleaseLayout(Path deployTo) {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern RELEASE_NAME = Pattern.compile("\\d{14}");

  public Path releases() {
    return deployTo.resolve("releases");
  }

  public Path shared() {
    return deployTo.resolve("shared");
  }

  public Path current() {
    return deployTo.resolve("current");
  }

  public Path revisionsLog() {
    return deployTo.resolve("revisions.log");
  }

  /** The repository cache (a bare git mirror), so that a redeploy fetches instead of cloning. */
  public Path repoCache() {
    return deployTo.resolve("repo");
  }

  public Path release(String id) {
    return releases().resolve(id);
  }

  /** Where a release is built; only renamed to its real name once complete. */
  public Path staging(String id) {
    return releases().resolve("." + id + ".partial");
  }

  /** Release names present, oldest first (names are UTC stamps, so they sort by time). */
  public List<String> releaseIds() throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(releases())) {
      return ids;
    }
    try (var entries = Files.list(releases())) {
      entries.map(p -> p.getFileName().toString()).filter(n -> RELEASE_NAME.matcher(n).matches()).sorted().forEach(ids::add);
    }
    return ids;
  }

  /** The release {@code current} points at, if any. */
  public Optional<String> currentId() {
    try {
      Path target = Files.readSymbolicLink(current());
      return Optional.of(target.getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * The next release name: the UTC time now, or one second after the newest release when that is
   * later (two deploys in one second, or a clock that went back), so a new release always sorts last.
   */
  public String nextReleaseId(Clock clock) throws IOException {
    Instant next = clock.instant();
    List<String> ids = releaseIds();
    if (!ids.isEmpty()) {
      Instant newest = Instant.from(STAMP.parse(ids.get(ids.size() - 1))).plusSeconds(1);
      if (newest.isAfter(next)) {
        next = newest;
      }
    }
    return STAMP.format(next);
  }
}
