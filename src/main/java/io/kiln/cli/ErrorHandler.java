package io.kiln.cli;

import io.kiln.error.KilnException;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code: users see what went wrong, not a
 * stack trace, unless they ask for one with --verbose.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
  private final PrintStream err;
  private final BooleanSupplier verbose;

  /** verbose is asked only after parsing, when --verbose has been read. */
  ErrorHandler(PrintStream err, BooleanSupplier verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String sqlLike = sqlTakenForAnOption(command);
    StringBuilder line = new StringBuilder("kiln: ");
    if (sqlLike != null) {
      // picocli's own message would quote the whole SQL, over many lines.
      line.append("the argument ").append(sqlLike).append(" is SQL beginning with '-', read as an option:"
          + " put -- before it, or use --file");
    } else {
      line.append(e.getMessage());
    }
    if (sqlLike == null && e instanceof UnmatchedArgumentException) {
      var suggestions = ((UnmatchedArgumentException) e).getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append("; see '").append(command.getCommandSpec().qualifiedName()).append(" --help'");
    err.println(line);
    printTraceIfVerbose(e);
    return ExitCodes.USAGE;
  }

  /**
   * An argument picocli took for an unknown option although it has spaces or lines in it: SQL whose
   * first line is a comment ("-- TPC-H Q1 ..."), shown by its first line; or null.
   */
  private static String sqlTakenForAnOption(CommandLine command) {
    for (String arg : command.getUnmatchedArguments()) {
      if (arg.startsWith("-") && arg.strip().contains(" ")) {
        String first = arg.strip().lines().findFirst().orElse("");
        return "'" + (first.length() > 40 ? first.substring(0, 40) + "..." : first) + "'";
      }
    }
    return null;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    return handle(e);
  }

  /** Also used for Errors (say OutOfMemoryError), which picocli lets through. */
  int handle(Throwable e) {
    KilnException kiln = findKilnException(e);
    if (kiln != null) {
      // getMessage() already reads "<kind> error: what, where".
      err.println("kiln: " + kiln.getMessage());
      printTraceIfVerbose(e);
      return ExitCodes.ERROR;
    }
    err.println("kiln: internal error: " + e.getClass().getName() + ": " + e.getMessage()
        + (verbose.getAsBoolean() ? "" : " (run with --verbose for details)"));
    printTraceIfVerbose(e);
    return ExitCodes.INTERNAL;
  }

  /** Worker threads may hand a KilnException back wrapped (ExecutionException and the like). */
  private static KilnException findKilnException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KilnException) {
        return (KilnException) t;
      }
    }
    return null;
  }

  private void printTraceIfVerbose(Throwable e) {
    if (verbose.getAsBoolean()) {
      e.printStackTrace(err);
    }
  }
}
