package amiboot.deploy;

import amiboot.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
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
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("status", status.label());
      json.writeStringField("marked_at", at.toString());
      json.writeEndObject();
    }
    entries.put(releaseId, new Entry(status.label(), text.toString()));
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

  /**
   * One release's entry: its status label (null when it has none), and the entry as JSON text,
   * whole, so that a rewrite keeps what this version does not know (a later version's fields).
   */
  private record Entry(String status, String json) {}

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
            String json = copyOfValue(parser);
            entries.put(id, new Entry(statusIn(json), json));
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

  /** The value the parser is at, as compact JSON text; the parser is left at its last token. */
  private static String copyOfValue(JsonParser parser) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator copy = JSON.createGenerator(text)) {
      copy.copyCurrentStructure(parser);
    }
    return text.toString();
  }

  /** An entry's "status" when the entry is an object whose status is a string; null otherwise. */
  private static String statusIn(String entry) throws IOException {
    try (JsonParser parser = JSON.createParser(entry)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String status = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isStatus = parser.currentName().equals("status");
        if (parser.nextToken() == JsonToken.VALUE_STRING && isStatus) {
          status = parser.getText();
        }
        parser.skipChildren(); // an object or array value: past its end, not into it
      }
      return status;
    }
  }

  private void write(Map<String, Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeNumberField("version", 1);
      json.writeObjectFieldStart("releases");
      for (Map.Entry<String, Entry> release : entries.entrySet()) {
        json.writeFieldName(release.getKey());
        try (JsonParser entry = JSON.createParser(release.getValue().json())) {
          entry.nextToken();
          json.copyCurrentStructure(entry);
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    AtomicFiles.write(file, bytes.toByteArray(), PosixFilePermissions.fromString("rw-r--r--"));
  }
}
