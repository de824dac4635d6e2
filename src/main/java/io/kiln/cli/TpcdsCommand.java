package io.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "tpcds",
    mixinStandardHelpOptions = true,
    description = "Generates TPC-DS data as Parquet and runs the 99 TPC-DS queries on it.",
    subcommands = {TpcdsGenCommand.class, TpcdsRunCommand.class})
final class TpcdsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: gen or run");
  }
}
