package amiboot.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code amiboot status} shows, as text or JSON: the verdict, the service and its processes,
 * the load-balancer membership last seen, the last run, and the last boot when that was earlier.
 */
public record StatusReport(Verdict verdict, RoleService service, Optional<JsonNode> membership, JsonNode lastRun,
    Optional<JsonNode> lastBoot, Instant now) {

  public void print(PrintStream out) {
    JsonNode s = lastRun;
    out.println("last " + run(s));
    if (s.has("degraded")) {
      out.println("degraded: " + s.path("degraded").asText());
    }
    if (s.has("error")) {
      out.println("error:    " + s.path("error").asText());
    }
    out.println("instance: " + s.path("instance").path("id").asText("?") + " " + s.path("instance").path("type").asText(""));
    out.println("role:     " + s.path("role").asText("?") + (s.has("workers") ? ", " + s.path("workers").asInt() + " workers" : ""));
    out.println("release:  " + s.path("release").asText("?") + ", revision " + s.path("revision").asText("?"));
    out.println("service:  " + verdict.words() + service.supervisor().map(p -> ": amiboot start (pid " + p.pid() + "), up "
        + uptime(p.since())).orElse(""));
    for (RoleProcess p : service.processes()) {
      StringBuilder line = new StringBuilder("  " + p.name() + "  " + (p.pid().isPresent() ? "pid " + p.pid().getAsLong() : "no pid")
          + "  " + p.state().words());
      p.since().ifPresent(since -> line.append("  up ").append(uptime(since)));
      p.restarts().ifPresent(r -> line.append("  restarts ").append(r));
      out.println(line);
    }
    out.println("load balancers: " + membership.map(StatusReport::membershipLine).orElse("none recorded"));
    out.println("steps of the last " + s.path("command").asText() + ":");
    steps(out, s);
    lastBoot.ifPresent(boot -> {
      out.println("last " + run(boot));
      steps(out, boot);
    });
  }

  public ObjectNode json() {
    ObjectNode doc = new ObjectMapper().createObjectNode().put("status", verdict.words()).put("exit_code", verdict.code());
    service.supervisor().ifPresent(p -> doc.putObject("supervisor").put("pid", p.pid()).put("since", p.since().toString()));
    ArrayNode processes = doc.putArray("processes");
    for (RoleProcess p : service.processes()) {
      ObjectNode row = processes.addObject().put("name", p.name()).put("state", p.state().words());
      p.pid().ifPresent(pid -> row.put("pid", pid));
      p.since().ifPresent(since -> row.put("since", since.toString()).put("uptime_s", up(since).toSeconds()));
      p.restarts().ifPresent(r -> row.put("restarts", r));
    }
    membership.ifPresent(m -> doc.set("load_balancers", m));
    doc.set("last_run", lastRun);
    lastBoot.ifPresent(boot -> doc.set("last_boot", boot));
    return doc;
  }

  private static String run(JsonNode s) {
    return s.path("command").asText() + ": " + s.path("result").asText() + " at " + s.path("finished_at").asText()
        + " (" + s.path("duration_ms").asLong() + " ms)";
  }

  private static void steps(PrintStream out, JsonNode s) {
    for (JsonNode step : s.path("steps")) {
      out.printf("  %-9s %-9s %6d ms  %s%n", step.path("step").asText(), step.path("status").asText(),
          step.path("duration_ms").asLong(), step.path("detail").asText());
    }
  }

  private static String membershipLine(JsonNode m) {
    List<String> names = new ArrayList<>();
    m.path("load_balancers").forEach(n -> names.add(n.asText()));
    String state = switch (m.path("state").asText()) {
      case "in_service" -> "registered and InService with ";
      case "registered" -> "registered with ";
      case "deregistered" -> "deregistered from ";
      default -> m.path("state").asText() + ": ";
    };
    return m.path("instance").asText() + " " + state + String.join(", ", names) + " (seen by " + m.path("by").asText()
        + " at " + m.path("at").asText() + ")";
  }

  private Duration up(Instant since) {
    Duration up = Duration.between(since, now);
    return up.isNegative() ? Duration.ZERO : up;
  }

  private String uptime(Instant since) {
    Duration up = up(since);
    long h = up.toHours();
    long m = up.toMinutesPart();
    long sec = up.toSecondsPart();
    return h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + sec + "s" : sec + "s";
  }
}
