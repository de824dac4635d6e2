package io.kiln.cli;

import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;
import picocli.CommandLine.Command;

@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = "Generates the eight TPC-H tables as Parquet files in a folder.",
    footerHeading = "%nExample:%n",
    footer = "  kiln tpch gen --sf 0.1 --out data/sf0.1")
final class TpchGenCommand extends GenerateCommand {
  @Override
  String command() {
    return "tpch";
  }

  @Override
  String benchmark() {
    return "TPC-H";
  }

  @Override
  void generate(double scaleFactor, Path out, DoubleConsumer progress) {
    TpchGenerator.generate(scaleFactor, out, progress);
  }
}
