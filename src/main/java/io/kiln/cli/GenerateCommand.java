package io.kiln.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiln tpch gen} and {@code kiln tpcds gen}: a benchmark's tables at a scale factor, with a progress bar. */
abstract class GenerateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--sf", paramLabel = "SF", required = true, description = "Scale factor: 1 is about 1 GB of raw data.")
  private double scaleFactor;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  private Path out;

  /** The benchmark's name as its command spells it ("tpch") and as people write it ("TPC-H"). */
  abstract String command();

  abstract String benchmark();

  abstract void generate(double scaleFactor, Path out, DoubleConsumer progress);

  @Override
  public Integer call() {
    if (!(scaleFactor > 0)) {
      throw new ParameterException(spec.commandLine(), "--sf must be above 0, not " + scaleFactor);
    }
    KilnCli cli = KilnCli.of(spec);
    ProgressBar bar = new ProgressBar(cli.err(), cli.stderrIsTerminal(), command() + " gen sf " + scaleFactor);
    long start = System.nanoTime();
    try {
      generate(scaleFactor, out, bar);
    } finally {
      bar.finish();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    cli.out().printf(Locale.ROOT, "generated %s sf %s in %s in %.1f s%n", benchmark(), scaleFactor, out, seconds);
    return ExitCodes.OK;
  }
}
