package amiboot.cli;

import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
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
        "health and registers the instance with its load balancer. deploy and",
        "rollback change the release of a running instance.",
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
        .addSubcommand(new ValidateCommand(streams))
        .addSubcommand(new DeployCommand(streams))
        .addSubcommand(new RollbackCommand(streams))
        .addSubcommand(new ReleasesCommand(streams))
        .addSubcommand(new StartCommand(streams))
        .addSubcommand(new StopCommand(streams))
        .addSubcommand(new StatusCommand(streams))
        .addSubcommand(new SimulateCommand(streams))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler(Main::usageError)
        // Only exceptions that escaped a command's own handling reach this mapper.
        .setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL);
    return cli.execute(args);
  }

  /**
   * A bad argument: one line on stderr (what was wrong, picocli's suggestion if it has one, and
   * which help to read) instead of picocli's default of the message followed by the whole usage.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String what = Messages.oneLine(e.getMessage());
    if (cmd.getParent() == null && e instanceof CommandLine.UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      what = "unknown command '" + u.getUnmatched().get(0) + "': use " + commands(cmd);
    }
    String hint = "";
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
    }
    cmd.getErr().println("amiboot: " + what + hint + " (see " + helpCommand(cmd) + ")");
    return ExitCodes.USAGE;
  }

  /** "boot, plan, ... or simulate": the registered commands, so that a new one is never left out. */
  private static String commands(CommandLine top) {
    List<String> names = List.copyOf(top.getSubcommands().keySet());
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  /** "amiboot boot --help" for a subcommand, "amiboot --help" at the top. */
  private static String helpCommand(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName(" ") + " --help";
  }

  @Spec CommandSpec spec;

  /** "amiboot" alone is a usage error. */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("amiboot: missing command: " + commands(spec.commandLine()) + " (see " + helpCommand(spec.commandLine()) + ")");
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
