package amiboot.state;

import amiboot.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code state_dir/load-balancers.json}: the instance's load-balancer membership as amiboot last
 * saw it, written by every run that registers or deregisters, so that {@code status} can show it
 * without calling AWS (a later run that never reached its load balancers leaves it as it was).
 */
public final class MembershipStore {
  /** Registered (and InService, when the run waited for it), or deregistered. */
  public enum State { REGISTERED, IN_SERVICE, DEREGISTERED }

  private final ObjectMapper mapper = new ObjectMapper();
  private final Path file;

  public MembershipStore(Path stateDir) {
    this.file = stateDir.resolve("load-balancers.json");
  }

  /**
   * Records what the run just did. A failure to write is not the run's failure: the load
   * balancers already changed, and the state file's record step reports an unwritable state_dir.
   */
  public void recordQuietly(String instanceId, List<String> names, State state, Instant at, String command) {
    ObjectNode doc = mapper.createObjectNode().put("instance", instanceId);
    names.forEach(doc.putArray("load_balancers")::add);
    doc.put("state", state.name().toLowerCase(java.util.Locale.ROOT)).put("at", at.toString()).put("by", command);
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc),
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException ignored) {
      // see above
    }
  }

  /** The last membership recorded, if any and readable. */
  public Optional<JsonNode> read() {
    try {
      return Files.exists(file) ? Optional.of(mapper.readTree(Files.readAllBytes(file))).filter(JsonNode::isObject)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
