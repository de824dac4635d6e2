package io.kiln.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "tpch",
    mixinStandardHelpOptions = true,
    description = "Generates TPC-H data as Parquet and runs the 22 TPC-H queries on it.",
    subcommands = {TpchGenCommand.class, TpchRunCommand.class})
final class TpchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: gen or run");
  }
}
