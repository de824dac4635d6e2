package io.kiln.cli;

import io.kiln.tpcds.TpcdsGenerator;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = "Generates the 24 TPC-DS tables as Parquet files in a folder.",
    footerHeading = "%nExample:%n",
    footer = "  kiln tpcds gen --sf 0.1 --out data/tpcds-sf0.1")
final class TpcdsGenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--sf", paramLabel = "SF", required = true, description = "Scale factor: 1 is about 1 GB of raw data.")
  private double scaleFactor;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  private Path out;

  @Override
  public Integer call() {
    if (!(scaleFactor > 0)) {
      throw new ParameterException(spec.commandLine(), "--sf must be above 0, not " + scaleFactor);
    }
    KilnCli cli = KilnCli.of(spec);
    String label = "tpcds gen sf " + scaleFactor;
    ProgressBar bar = new ProgressBar(cli.err(), cli.stderrIsTerminal(), label);
    long start = System.nanoTime();
    try {
      TpcdsGenerator.generate(scaleFactor, out, bar);
    } finally {
      bar.finish();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    cli.out().printf(Locale.ROOT, "generated TPC-DS sf %s in %s in %.1f s%n", scaleFactor, out, seconds);
    return ExitCodes.OK;
  }
}
