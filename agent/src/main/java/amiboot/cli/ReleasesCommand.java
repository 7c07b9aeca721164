package amiboot.cli;

import amiboot.config.AgentConfig;
import amiboot.deploy.Release;
import amiboot.deploy.ReleaseLayout;
import amiboot.deploy.Releases;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "releases", mixinStandardHelpOptions = true,
    description = {"List the releases, newest first, with revision and status.",
        "Each release under deploy_to with its revision, whether it is good",
        "(passed its health check), failed or unchecked, and which is current.",
        "Reads the config only: no metadata service, no lock."})
final class ReleasesCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  @Option(names = "--json", description = "Print the list as JSON.")
  boolean json;

  private final Streams streams;

  ReleasesCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "releases", () -> {
      AgentConfig config = options.readConfig();
      List<Release> releases;
      try {
        Releases all = new Releases(new ReleaseLayout(config.deployTo()));
        releases = all.list();
        // on stderr: stdout stays a listing (or JSON) a script can read
        all.indexTrouble().ifPresent(t -> streams.err().println("amiboot: releases: warning: " + t));
      } catch (IOException e) {
        throw new CannotWriteException("cannot list the releases (" + config.deployTo() + "): " + Messages.describe(e), e);
      }
      if (json) {
        printJson(releases);
      } else if (releases.isEmpty()) {
        streams.out().println("no releases under " + config.deployTo().resolve("releases"));
      } else {
        for (Release r : releases) {
          streams.out().printf("%s  %-40s  %-9s%s%n", r.id(), r.revision().orElse("(incomplete)"), r.status().label(),
              r.current() ? "  current" : "");
        }
      }
      return ExitCodes.OK;
    });
  }

  private void printJson(List<Release> releases) {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode list = mapper.createArrayNode();
    for (Release r : releases) {
      var node = list.addObject();
      node.put("release", r.id());
      node.put("dir", r.dir().toString());
      node.put("revision", r.revision().orElse(null));
      node.put("status", r.status().label());
      node.put("current", r.current());
    }
    streams.out().println(list.toPrettyString());
  }
}
