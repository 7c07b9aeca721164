package amiboot.cli;

import amiboot.asuser.AsUserServer;
import amiboot.pipeline.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The commonest check of an install, answered without building the command line at all.
      System.out.println(Version.line());
      System.exit(ExitCodes.OK);
    }
    if (args.length == 1 && args[0].equals(AsUserServer.ARGUMENT)) {
      // amiboot's own process for the work under deploy_to, as the app's user (amiboot.asuser)
      System.exit(AsUserServer.serve(System.in, System.out, System.err));
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command with the given streams and returns its exit code (tests call this in-process). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Streams streams = new Streams(out, err);
    CommandLine cli = new CommandLine(new Main());
    // picocli reads a command's annotations when it is added: add only the one that runs, when
    // the first argument names one (a boot pays for one command's model, not eleven).
    Map<String, Function<Streams, Object>> factories = commandFactories();
    Function<Streams, Object> named = args.length > 0 ? factories.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(named.apply(streams));
    } else {
      factories.values().forEach(command -> cli.addSubcommand(command.apply(streams)));
    }
    // After the subcommands: picocli passes these settings on only to those already added.
    return cli.setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler(Main::usageError)
        // Only exceptions that escaped a command's own handling reach this mapper.
        .setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL)
        .execute(args);
  }

  /** How to make every command, by its name, in the order the help lists them. */
  private static Map<String, Function<Streams, Object>> commandFactories() {
    Map<String, Function<Streams, Object>> commands = new LinkedHashMap<>();
    commands.put("boot", BootCommand::new);
    commands.put("plan", PlanCommand::new);
    commands.put("validate", ValidateCommand::new);
    commands.put("deploy", DeployCommand::new);
    commands.put("rollback", RollbackCommand::new);
    commands.put("releases", ReleasesCommand::new);
    commands.put("start", StartCommand::new);
    commands.put("stop", StopCommand::new);
    commands.put("status", StatusCommand::new);
    commands.put("simulate", SimulateCommand::new);
    commands.put("cds-training", CdsTrainingCommand::new);
    return commands;
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

  /** "boot, plan, ... or simulate": the registered commands but hidden ones, so that a new one is never left out. */
  private static String commands(CommandLine top) {
    List<String> names = top.getSubcommands().entrySet().stream()
        .filter(command -> !command.getValue().getCommandSpec().usageMessage().hidden())
        .map(Map.Entry::getKey)
        .toList();
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
    public String[] getVersion() {
      return new String[] {line()};
    }

    static String line() {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/amiboot/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // a jar that cannot read its own resource: say so in the version line, as for a missing one
      }
      // java.runtime.version is Runtime.version()'s text, without its stream-built toString()
      return "amiboot " + p.getProperty("version", "unknown") + " (Java " + System.getProperty("java.runtime.version") + ")";
    }
  }
}
