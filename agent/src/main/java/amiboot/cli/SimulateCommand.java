package amiboot.cli;

import amiboot.boot.Boot;
import amiboot.boot.BootReport;
import amiboot.boot.RunContext;
import amiboot.config.AgentConfig;
import amiboot.metadata.RawUserData;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import amiboot.process.InstanceTypes;
import amiboot.simulate.ImdsStandIn;
import amiboot.simulate.SimulatedServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Rehearse a boot off EC2, under a directory of its own.",
        "A full boot of this config, with the instance metadata (the user-data",
        "and instance type given here) served in-process, and hosts_file,",
        "deploy_to and state_dir moved under --root. The load balancer is",
        "recorded and printed, not called, unless an ELB endpoint is configured",
        "(AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING). The repository, the app's",
        "commands and its health check are real. Run it again with the same",
        "--root to rehearse a reboot or a redeploy."})
final class SimulateCommand implements Callable<Integer> {
  /** The stand-in answers at once; a longer wait would only hide a bug. */
  private static final Duration METADATA_BUDGET = Duration.ofSeconds(10);

  @Mixin CommonOptions options;

  /** The user-data the instance is launched with; null when neither --user-data nor --user-data-file is given. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  UserDataOptions userData;

  @Option(names = "--instance-type", paramLabel = "TYPE", defaultValue = "m1.small",
      description = "The instance type (default: ${DEFAULT-VALUE}); sizes per-ECU workers.")
  String instanceType;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Where the box's files go (default: a new directory under the temp dir).")
  Path root;

  private final Streams streams;

  SimulateCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, options.stacktrace, "simulate", () -> {
      AgentConfig config = options.readConfig();
      Path dir = root();
      AgentConfig simulated = config.rerootedUnder(dir);
      seedHostsFile(config.hostsFile(), simulated.hostsFile());
      boolean callElb = SimulatedServices.elbEndpointConfigured();
      Optional<RawUserData> launchedWith = UserDataOptions.read(userData).filter(u -> u.length() > 0); // '' is none
      streams.out().println("simulate: " + instanceType + ", user-data " + shown(launchedWith)
          + ", under " + dir + "; load balancer " + (callElb ? "called at the configured endpoint" : "recorded, not called"));
      try (ImdsStandIn metadata = startMetadata(launchedWith)) {
        RunContext context = new RunContext(simulated, new SimulatedServices(metadata.endpoint(), callElb, streams.out()),
            new ConsoleProgress(streams.out()), InstanceTypes.shipped(), METADATA_BUDGET);
        BootReport report = new Boot(context).run();
        streams.out().println(Reports.summary("simulate", report));
      }
      streams.out().println("the box's files: " + simulated.hostsFile() + ", " + simulated.deployTo() + ", "
          + simulated.stateDir());
      return ExitCodes.OK;
    });
  }

  private static String shown(Optional<RawUserData> userData) {
    if (userData.isEmpty()) {
      return "none";
    }
    RawUserData raw = userData.get();
    if (raw.gzipped()) {
      return raw.length() + " bytes, gzip";
    }
    return "'" + Messages.shown(new String(raw.bytes(), StandardCharsets.UTF_8), 200) + "'";
  }

  private ImdsStandIn startMetadata(Optional<RawUserData> userData) throws UnavailableException {
    try {
      ImdsStandIn.Instance instance = ImdsStandIn.Instance.of(instanceType, null);
      return ImdsStandIn.start(userData.map(instance::withUserData).orElse(instance));
    } catch (IOException e) {
      throw new UnavailableException("cannot serve the simulated metadata on 127.0.0.1: " + Messages.describe(e), e);
    }
  }

  private Path root() throws CannotWriteException {
    try {
      if (root == null) {
        return Files.createTempDirectory("amiboot-simulate-");
      }
      Files.createDirectories(root);
      return root.toAbsolutePath();
    } catch (IOException e) {
      throw new CannotWriteException("cannot create the simulation root " + (root == null ? "in the temp dir" : root)
          + ": " + Messages.describe(e), e);
    }
  }

  /** The box's own hosts file as the starting point, so the managed entries are shown among the others. */
  private static void seedHostsFile(Path real, Path simulated) throws CannotWriteException {
    if (Files.exists(simulated)) {
      return; // a re-run: as a reboot finds it
    }
    try {
      Files.createDirectories(simulated.getParent());
      Files.writeString(simulated, Files.isReadable(real) ? Files.readString(real) : "127.0.0.1\tlocalhost\n");
    } catch (IOException e) {
      throw new CannotWriteException("cannot write " + simulated + ": " + Messages.describe(e), e);
    }
  }
}
