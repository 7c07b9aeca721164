package amiboot.control;

import amiboot.process.RunAs;
import amiboot.process.WorkerSpec;
import amiboot.process.WorkerStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The JSON of the control socket's requests and answers: worker specs one way, worker statuses the other. */
final class ControlMessages {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ControlMessages() {}

  static ObjectNode request(String op) {
    return MAPPER.createObjectNode().put("op", op);
  }

  static ObjectNode spec(WorkerSpec spec) {
    ObjectNode node = MAPPER.createObjectNode().put("role", spec.role()).put("index", spec.index());
    ArrayNode argv = node.putArray("argv");
    spec.argv().forEach(argv::add);
    node.put("directory", spec.directory().toString());
    ObjectNode env = node.putObject("env");
    spec.env().forEach(env::put);
    node.put("log", spec.log().toString()).put("pid_file", spec.pidFile().toString()).put("run_as_note", spec.runAs().note());
    spec.runAs().account().ifPresent(a -> node.putObject("run_as").put("name", a.name()).put("uid", a.uid())
        .put("gid", a.gid()).put("home", a.home().toString()));
    return node;
  }

  static WorkerSpec spec(JsonNode node) {
    List<String> argv = new ArrayList<>();
    node.path("argv").forEach(a -> argv.add(a.asText()));
    Map<String, String> env = new LinkedHashMap<>();
    node.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return new WorkerSpec(text(node, "role"), node.path("index").asInt(), argv, Path.of(text(node, "directory")), env,
        Path.of(text(node, "log")), Path.of(text(node, "pid_file")), runAs(node));
  }

  /** Whom the worker runs as: the account the deploying amiboot resolved from {@code user}. */
  private static RunAs runAs(JsonNode node) {
    JsonNode a = node.get("run_as");
    Optional<RunAs.Account> account = a == null || !a.isObject() ? Optional.empty()
        : Optional.of(new RunAs.Account(text(a, "name"), a.path("uid").asInt(), a.path("gid").asInt(), Path.of(text(a, "home"))));
    return new RunAs(account, node.path("run_as_note").asText(""));
  }

  static ObjectNode status(WorkerStatus status) {
    ObjectNode node = MAPPER.createObjectNode().put("name", status.name());
    if (status.pid().isPresent()) {
      node.put("pid", status.pid().getAsLong());
    }
    node.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT)).put("restarts", status.restarts());
    status.since().ifPresent(since -> node.put("since", since.toString()));
    return node;
  }

  static WorkerStatus status(JsonNode node) {
    OptionalLong pid = node.hasNonNull("pid") ? OptionalLong.of(node.get("pid").asLong()) : OptionalLong.empty();
    Optional<Instant> since = node.hasNonNull("since") ? Optional.of(Instant.parse(node.get("since").asText())) : Optional.empty();
    return new WorkerStatus(text(node, "name"), pid, WorkerStatus.State.valueOf(text(node, "state").toUpperCase(java.util.Locale.ROOT)),
        node.path("restarts").asInt(), since);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value.asText();
  }
}
