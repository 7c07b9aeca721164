package amiboot.state;

import amiboot.io.AtomicFiles;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code state_dir/state.json}: the last run, written atomically so a crash never leaves half a
 * file; and {@code last-boot.json}, the last boot's record, which a later deploy or stop does not
 * replace (status shows the boot's step timings beside the last run).
 */
public final class StateStore {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path file;
  private final Path lastBoot;

  public StateStore(Path stateDir) {
    this.file = stateDir.resolve("state.json");
    this.lastBoot = stateDir.resolve("last-boot.json");
  }

  public Path file() {
    return file;
  }

  public ObjectNode newDocument() {
    return mapper.createObjectNode();
  }

  public void write(ObjectNode document) throws CannotWriteException {
    write(file, document);
    if ("boot".equals(document.path("command").asText())) {
      write(lastBoot, document);
    }
  }

  private void write(Path target, ObjectNode document) throws CannotWriteException {
    try {
      Files.createDirectories(target.getParent());
      AtomicFiles.write(target, mapper.writeValueAsBytes(document), PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new CannotWriteException("cannot write the state file (" + target + "): " + Messages.describe(e), e);
    }
  }

  public Optional<JsonNode> read() throws IOException {
    return read(file);
  }

  /** The last boot's record, when the last run was something else; empty when it cannot be read. */
  public Optional<JsonNode> readLastBoot() {
    try {
      return read(lastBoot).filter(JsonNode::isObject);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> read(Path target) throws IOException {
    if (!Files.exists(target)) {
      return Optional.empty();
    }
    // Through NIO, so that a failure is a FileSystemException Messages.describe can put in words.
    return Optional.of(mapper.readTree(Files.readAllBytes(target)));
  }
}
