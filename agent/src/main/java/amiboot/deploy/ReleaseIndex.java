package amiboot.deploy;

import amiboot.io.AtomicFiles;
import amiboot.io.UntrustedFile;
import amiboot.pipeline.Messages;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code deploy_to/releases.json}: which releases passed their health check and which failed.
 * Rewritten whole and atomically, so a crash leaves the old or the new index; a release it does
 * not name is {@link ReleaseStatus#UNCHECKED}. An index that cannot be read is set aside, never
 * overwritten, and {@link #trouble()} says so.
 *
 * <p>Read and written with Jackson's streaming parser and generator, which the YAML config has
 * loaded already: every plan and redeploy reads this file, and Jackson's databind (an ObjectMapper
 * and its tree) would add about 300 classes and 4 MB to their start (BENCHMARKS.md, "Cold start").
 */
public final class ReleaseIndex {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String SET_ASIDE = "releases.json.unreadable-";
  /** The releases' own stamp (UTC), so that a set-aside index sorts beside the release of its time. */
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final Path file;

  public ReleaseIndex(ReleaseLayout layout) {
    this.file = layout.deployTo().resolve("releases.json");
  }

  public Path file() {
    return file;
  }

  /**
   * Release name to status. An unreadable index counts as empty (every release unchecked): see
   * {@link #trouble()} for saying so.
   */
  public Map<String, ReleaseStatus> statuses() {
    Map<String, ReleaseStatus> statuses = new HashMap<>();
    read().entries().forEach((id, entry) -> statuses.put(id, ReleaseStatus.parse(entry.status())));
    return statuses;
  }

  /**
   * Why {@link #statuses()} may be missing what was once marked: the index is unreadable, or an
   * unreadable one was set aside by a later mark. Empty when neither.
   */
  public Optional<String> trouble() throws IOException {
    Optional<String> unreadable = read().unreadable();
    if (unreadable.isPresent()) {
      return Optional.of(file + " is unreadable (" + unreadable.get() + "), so every release counts as unchecked;"
          + " the next deploy sets it aside");
    }
    return setAside().map(p -> "an unreadable " + file.getFileName() + " was set aside as " + p
        + ", so releases marked before then count as unchecked");
  }

  public void mark(String releaseId, ReleaseStatus status, Instant at) throws IOException {
    Map<String, Entry> entries = readForRewrite(at);
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
  public void forget(Collection<String> releaseIds, Instant at) throws IOException {
    if (releaseIds.isEmpty()) {
      return;
    }
    Map<String, Entry> entries = readForRewrite(at);
    releaseIds.forEach(entries::remove);
    write(entries);
  }

  /**
   * One release's entry: its status label (null when it has none), and the entry as JSON text,
   * whole, so that a rewrite keeps what this version does not know (a later version's fields).
   */
  private record Entry(String status, String json) {}

  /** The entries in the file's order, and why the file could not be read (then the entries are empty). */
  private record Contents(Map<String, Entry> entries, Optional<String> unreadable) {
    static Contents unreadable(String why) {
      return new Contents(new LinkedHashMap<>(), Optional.of(why));
    }
  }

  /**
   * The entries to rewrite. An unreadable index is not overwritten: it is renamed to
   * {@code releases.json.unreadable-STAMP} first, for the operator to look at (and so that
   * {@link #trouble()} can say where the statuses went).
   */
  private Map<String, Entry> readForRewrite(Instant at) throws IOException {
    Contents contents = read();
    if (contents.unreadable().isPresent()) {
      Files.move(file, file.resolveSibling(SET_ASIDE + STAMP.format(at)), StandardCopyOption.ATOMIC_MOVE);
    }
    return contents.entries();
  }

  /** The newest index set aside as unreadable. */
  private Optional<Path> setAside() throws IOException {
    if (!Files.isDirectory(file.getParent())) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      return files.filter(p -> p.getFileName().toString().startsWith(SET_ASIDE)).max(Comparator.naturalOrder());
    }
  }

  /** Far above an index of any keep_releases; a bigger file is not amiboot's. */
  private static final int MAX_BYTES = 1 << 20;

  private Contents read() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new Contents(entries, Optional.empty());
    }
    // read as root too (plan, status, releases): never through a link, never without a bound
    try (JsonParser parser = JSON.createParser(UntrustedFile.read(file, MAX_BYTES))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Contents.unreadable("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean releases = parser.currentName().equals("releases");
        JsonToken value = parser.nextToken();
        if (releases && value != JsonToken.START_OBJECT) {
          return Contents.unreadable("its \"releases\" is not an object");
        }
        if (releases) {
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
      return new Contents(entries, Optional.empty());
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      return Contents.unreadable("not JSON at line " + line + ": " + Messages.oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      return Contents.unreadable(Messages.describe(e));
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
