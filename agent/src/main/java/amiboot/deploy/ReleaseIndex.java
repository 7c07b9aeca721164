package amiboot.deploy;

import amiboot.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code deploy_to/releases.json}: which releases passed their health check and which failed.
 * Rewritten whole and atomically, so a crash leaves the old or the new index; a release it does
 * not name is {@link ReleaseStatus#UNCHECKED}.
 *
 * <p>Read and written with Jackson's streaming parser and generator, which the YAML config has
 * loaded already: every plan and redeploy reads this file, and Jackson's databind (an ObjectMapper
 * and its tree) would add about 300 classes and 4 MB to their start (BENCHMARKS.md, "Cold start").
 */
public final class ReleaseIndex {
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;

  public ReleaseIndex(ReleaseLayout layout) {
    this.file = layout.deployTo().resolve("releases.json");
  }

  public Path file() {
    return file;
  }

  /** Release name to status. An unreadable index counts as empty: every release unchecked. */
  public Map<String, ReleaseStatus> statuses() {
    Map<String, ReleaseStatus> statuses = new HashMap<>();
    entries().forEach((id, entry) -> statuses.put(id, ReleaseStatus.parse(entry.status())));
    return statuses;
  }

  public void mark(String releaseId, ReleaseStatus status, Instant at) throws IOException {
    Map<String, Entry> entries = entries();
    entries.put(releaseId, new Entry(status.label(), at.toString()));
    write(entries);
  }

  /** Forgets pruned releases. */
  public void forget(Collection<String> releaseIds) throws IOException {
    if (releaseIds.isEmpty()) {
      return;
    }
    Map<String, Entry> entries = entries();
    releaseIds.forEach(entries::remove);
    write(entries);
  }

  /** One release's line: its status label and when it was marked (either null when the file lacks it). */
  private record Entry(String status, String markedAt) {}

  /** The entries in the file's order; an unreadable index counts as empty, and the next mark rewrites it whole. */
  private Map<String, Entry> entries() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return entries;
    }
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new LinkedHashMap<>();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean releases = parser.currentName().equals("releases");
        if (parser.nextToken() == JsonToken.START_OBJECT && releases) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String id = parser.currentName();
            parser.nextToken();
            entries.put(id, entry(parser));
          }
        } else {
          parser.skipChildren();
        }
      }
      return entries;
    } catch (IOException e) {
      return new LinkedHashMap<>();
    }
  }

  private static Entry entry(JsonParser parser) throws IOException {
    String status = null;
    String markedAt = null;
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return new Entry(null, null);
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "status" -> status = parser.getValueAsString();
        case "marked_at" -> markedAt = parser.getValueAsString();
        default -> parser.skipChildren();
      }
    }
    return new Entry(status, markedAt);
  }

  private void write(Map<String, Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeNumberField("version", 1);
      json.writeObjectFieldStart("releases");
      for (Map.Entry<String, Entry> release : entries.entrySet()) {
        json.writeObjectFieldStart(release.getKey());
        if (release.getValue().status() != null) {
          json.writeStringField("status", release.getValue().status());
        }
        if (release.getValue().markedAt() != null) {
          json.writeStringField("marked_at", release.getValue().markedAt());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    AtomicFiles.write(file, bytes.toByteArray(), PosixFilePermissions.fromString("rw-r--r--"));
  }
}
