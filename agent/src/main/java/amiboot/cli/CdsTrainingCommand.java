package amiboot.cli;

import amiboot.cds.ClassDataTraining;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rehearsal the launcher runs under {@code -XX:ArchiveClassesAtExit} to build the class-data
 * archive. Hidden: an operator never needs it; the launcher and the package's postinst run it.
 */
@Command(name = "cds-training", hidden = true, mixinStandardHelpOptions = true,
    description = {"A boot and a stop of a throwaway box in the temp dir, with the metadata",
        "service and the load balancer answered in-process: the run whose classes",
        "/usr/bin/amiboot archives (class-data sharing) for a faster start."})
final class CdsTrainingCommand implements Callable<Integer> {
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
        new ClassDataTraining(new ConsoleProgress(streams.out())).run();
        // every command's own classes too: a run adds only the command it runs to picocli
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Main.run(new String[] {"--help"}, discard, discard);
      } catch (IOException e) {
        throw new CannotWriteException("cannot rehearse in the temp dir: " + Messages.describe(e), e);
      }
      streams.out().println("cds-training ok");
      return ExitCodes.OK;
    });
  }
}
