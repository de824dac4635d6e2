package io.kiln.cli;

import io.kiln.tpcds.TpcdsGenerator;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;
import picocli.CommandLine.Command;

@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = "Generates the 24 TPC-DS tables as Parquet files in a folder.",
    footerHeading = "%nExample:%n",
    footer = "  kiln tpcds gen --sf 0.1 --out data/tpcds-sf0.1")
final class TpcdsGenCommand extends GenerateCommand {
  @Override
  String command() {
    return "tpcds";
  }

  @Override
  String benchmark() {
    return "TPC-DS";
  }

  @Override
  void generate(double scaleFactor, Path out, DoubleConsumer progress) {
    TpcdsGenerator.generate(scaleFactor, out, progress);
  }
}
