package amiboot.cli;

import amiboot.cds.ClassDataTraining;
import amiboot.cds.LightTraining;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rehearsals the launcher runs under {@code -XX:ArchiveClassesAtExit} to build its class-data
 * archives: one for the commands that change the box, one ({@code --light}) for those that only
 * read it. Hidden: an operator never needs it; the launcher and the package's postinst run it.
 */
@Command(name = "cds-training", hidden = true, mixinStandardHelpOptions = true,
    description = {"A boot and a stop of a throwaway box in the temp dir, with the metadata",
        "service and the load balancer answered in-process: the run whose classes",
        "/usr/bin/amiboot archives (class-data sharing) for a faster start.",
        "With --light: plan, validate and releases of such a box instead."})
final class CdsTrainingCommand implements Callable<Integer> {
  /** The SDK's system property for the metadata service's endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT's twin). */
  private static final String METADATA_ENDPOINT = "aws.ec2MetadataServiceEndpoint";

  @Option(names = "--light", description = "Rehearse the commands that only read the box.")
  boolean light;

  @Option(names = "--stacktrace", description = "On an internal error, print the Java stack trace.")
  boolean stacktrace;

  private final Streams streams;

  CdsTrainingCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return Failures.guard(streams, stacktrace, "cds-training", () -> {
      try {
        if (light) {
          new LightTraining().run(this::readers);
        } else {
          new ClassDataTraining(new ConsoleProgress(streams.out())).run();
          // every command's own classes too: a run adds only the command it runs to picocli
          run("--help");
        }
      } catch (IOException e) {
        throw new CannotWriteException("cannot rehearse in the temp dir: " + Messages.describe(e), e);
      }
      streams.out().println("cds-training ok");
      return ExitCodes.OK;
    });
  }

  /**
   * The commands that only read, as an operator runs them, on the rehearsal's box. plan finds the box's
   * metadata service as the SDK does when no endpoint is configured, from a system property: this
   * JVM exists for the rehearsal (the property is put back for a test that runs it in-process).
   */
  private void readers(Path config, URI metadataEndpoint) {
    String file = config.toString();
    String before = System.getProperty(METADATA_ENDPOINT);
    System.setProperty(METADATA_ENDPOINT, metadataEndpoint.toString());
    try {
      expectOk(Main.run(new String[] {"plan", "--config", file, "--metadata-timeout", "10s"}, streams.out(), streams.err()));
    } finally {
      if (before == null) {
        System.clearProperty(METADATA_ENDPOINT);
      } else {
        System.setProperty(METADATA_ENDPOINT, before);
      }
    }
    expectOk(run("validate", "--config", file, "--user-data", LightTraining.USER_DATA, "--instance-type",
        LightTraining.INSTANCE_TYPE));
    expectOk(run("releases", "--config", file));
    // Not status: it reads state.json through Jackson's databind, whose 300 classes would make
    // this archive, and so every plan, 3 MB larger. It runs with this archive all the same.
  }

  /** Runs one command with its output discarded; its exit code. */
  private static int run(String... args) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    return Main.run(args, discard, discard);
  }

  /** A rehearsal whose command failed would archive less than it should: stop the build instead. */
  private static void expectOk(int exitCode) {
    if (exitCode != ExitCodes.OK) {
      throw new IllegalStateException("a rehearsed command exited " + exitCode);
    }
  }
}
