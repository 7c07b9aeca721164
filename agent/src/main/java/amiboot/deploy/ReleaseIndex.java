package amiboot.deploy;

import amiboot.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code deploy_to/releases.json}: which releases passed their health check and which failed.
 * Rewritten whole and atomically, so a crash leaves the old or the new index; a release it does
 * not name is {@link ReleaseStatus#UNCHECKED}.
 */
public final class ReleaseIndex {
  private final Path file;

  /**
   * Made when an index is read or written, not with the index: a first boot's plan, and every dry
   * run on a fresh box, find no index, and a cold ObjectMapper costs about 25 ms of their start
   * (BENCHMARKS.md, "Cold start").
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  public ReleaseIndex(ReleaseLayout layout) {
    this.file = layout.deployTo().resolve("releases.json");
  }

  public Path file() {
    return file;
  }

  /** Release name to status. An unreadable index counts as empty: every release unchecked. */
  public Map<String, ReleaseStatus> statuses() {
    Map<String, ReleaseStatus> statuses = new HashMap<>();
    releases().fields().forEachRemaining(e -> statuses.put(e.getKey(), ReleaseStatus.parse(e.getValue().path("status").asText())));
    return statuses;
  }

  public void mark(String releaseId, ReleaseStatus status, Instant at) throws IOException {
    ObjectNode releases = releases();
    ObjectNode entry = releases.putObject(releaseId);
    entry.put("status", status.label());
    entry.put("marked_at", at.toString());
    write(releases);
  }

  /** Forgets pruned releases. */
  public void forget(Collection<String> releaseIds) throws IOException {
    if (releaseIds.isEmpty()) {
      return;
    }
    ObjectNode releases = releases();
    releaseIds.forEach(releases::remove);
    write(releases);
  }

  private ObjectNode releases() {
    try {
      if (Files.exists(file)) {
        JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
        if (root != null && root.path("releases").isObject()) {
          return (ObjectNode) root.path("releases").deepCopy();
        }
      }
    } catch (IOException e) {
      // unreadable: every release counts as unchecked, and the next mark rewrites the file whole
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private void write(ObjectNode releases) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", 1);
    root.set("releases", releases);
    AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(root), PosixFilePermissions.fromString("rw-r--r--"));
  }
}
