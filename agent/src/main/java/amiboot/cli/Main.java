package amiboot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The command line. The only place that calls System.exit. */
@Command(name = "amiboot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"On-box bootstrap agent: reads user-data and instance metadata, writes",
        "/etc/hosts, deploys the app from git or Subversion, starts it, checks its",
        "health and registers the instance with its load balancer.",
        "",
        "Exit codes: 0 ok; 1 the app failed to start or never became healthy;",
        "64 usage; 65 bad config or user-data; 69 a service unavailable (metadata,",
        "load balancer, repository); 70 internal error; 73 cannot write;",
        "75 another amiboot holds the lock."})
public final class Main implements Callable<Integer> {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command with the given streams and returns its exit code (tests call this in-process). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Streams streams = new Streams(out, err);
    CommandLine cli = new CommandLine(new Main())
        .addSubcommand(new BootCommand(streams))
        .addSubcommand(new PlanCommand(streams))
        .addSubcommand(new StatusCommand(streams))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        // picocli asks this mapper for bad arguments too: those are usage errors.
        .setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL);
    return cli.execute(args);
  }

  @Spec CommandSpec spec;

  /** "amiboot" alone is a usage error. */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("amiboot: missing command: boot, plan or status");
    spec.commandLine().usage(err);
    return ExitCodes.USAGE;
  }

  /** The version from the jar's build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/amiboot/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"amiboot " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
    }
  }
}
