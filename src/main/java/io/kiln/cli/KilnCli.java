package io.kiln.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code kiln} command line: {@code kiln sql ...}, {@code kiln tpch gen|run ...}, {@code kiln tpcds gen|run ...}. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kiln, a SQL query engine over Apache Arrow.",
    subcommands = {SqlCommand.class, TpchCommand.class, TpcdsCommand.class, SchedulerCommand.class, WorkerCommand.class,
        ClusterCommand.class, StatusCommand.class, ServerCommand.class, ShellCommand.class})
public final class KilnCli implements Callable<Integer> {
  private static final String ALLOCATOR_PROPERTY = "arrow.allocation.manager.type";
  private static final String ALLOCATOR_ENV = "ARROW_ALLOCATION_MANAGER_TYPE";
  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  @Spec private CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  private boolean verbose;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean stderrIsTerminal;

  private KilnCli(PrintStream out, PrintStream err, boolean stderrIsTerminal) {
    this.out = out;
    this.err = err;
    this.stderrIsTerminal = stderrIsTerminal;
  }

  public static void main(String[] args) {
    // Arrow picks its allocator once, when its first allocator is built; with no choice made it goes
    // by classpath order. Pinning Unsafe here (before any Arrow class is used) spares users the
    // -D flag on every `java -jar` line; an explicit -D or environment choice still wins.
    if (System.getProperty(ALLOCATOR_PROPERTY) == null && System.getenv(ALLOCATOR_ENV) == null) {
      System.setProperty(ALLOCATOR_PROPERTY, "Unsafe");
    }
    // Arrow checks every buffer access against bounds and reference counts; the engine's kernels stay
    // in bounds by construction (tests run with the checks on), so the CLI turns them off for speed.
    if (System.getProperty("arrow.enable_unsafe_memory_access") == null) {
      System.setProperty("arrow.enable_unsafe_memory_access", "true");
    }
    if (System.getProperty("arrow.enable_null_check_for_get") == null) {
      System.setProperty("arrow.enable_null_check_for_get", "false");
    }
    // slf4j-simple logs INFO to stderr, where Arrow's start-up notes would bury the one-line errors.
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "warn");
    }
    // UTF-8 whatever the platform default, so CSV and JSON output is the same everywhere.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.console() != null));
  }

  /** Runs one command line in-process and returns its exit code; for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, false);
  }

  static int run(String[] args, PrintStream out, PrintStream err, boolean stderrIsTerminal) {
    KilnCli cli = new KilnCli(out, err, stderrIsTerminal);
    ErrorHandler errors = new ErrorHandler(err, cli::verbose);
    CommandLine commandLine = new CommandLine(cli)
        .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true))
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
    listExitCodes(commandLine);
    try {
      return commandLine.execute(args);
    } catch (Error e) {
      // picocli handles Exceptions only; an Error (out of memory, stack overflow) still gets one line.
      return errors.handle(e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static void listExitCodes(CommandLine commandLine) {
    commandLine.getCommandSpec().usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    commandLine.getSubcommands().values().forEach(KilnCli::listExitCodes);
  }

  @Override
  public Integer call() {
    // `kiln` alone opens the shell, as `duckdb` and `psql` do
    return spec.commandLine().getSubcommands().get("shell").execute();
  }

  /** The root command's instance, from any subcommand's spec. */
  static KilnCli of(CommandSpec spec) {
    return (KilnCli) spec.root().userObject();
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  boolean stderrIsTerminal() {
    return stderrIsTerminal;
  }

  boolean verbose() {
    return verbose;
  }
}
