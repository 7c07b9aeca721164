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

/** {@code state_dir/state.json}: the last run, written atomically so a crash never leaves half a file. */
public final class StateStore {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path file;

  public StateStore(Path stateDir) {
    this.file = stateDir.resolve("state.json");
  }

  public Path file() {
    return file;
  }

  public ObjectNode newDocument() {
    return mapper.createObjectNode();
  }

  public void write(ObjectNode document) throws CannotWriteException {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, mapper.writeValueAsBytes(document), PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new CannotWriteException("cannot write the state file (" + file + "): " + Messages.describe(e), e);
    }
  }

  public Optional<JsonNode> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    // Through NIO, so that a failure is a FileSystemException Messages.describe can put in words.
    return Optional.of(mapper.readTree(Files.readAllBytes(file)));
  }
}
