package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.tpcds.TpcdsDriver;
import io.kiln.tpcds.TpcdsQueries;
import io.kiln.tpcds.TpcdsTables;
import io.kiln.tpch.TpchDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs TPC-DS queries on data written by 'tpcds gen' and prints their timings.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  kiln tpcds run --data data/tpcds-sf1",
      "  kiln tpcds run --data data/tpcds-sf1 --queries 3,42 --runs 5 --mode interpreted --threads 2"
    })
final class TpcdsRunCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private EngineOptions engine;

  @Option(names = "--data", paramLabel = "DIR", required = true, description = "Folder written by 'kiln tpcds gen'.")
  private Path data;

  @Option(
      names = "--queries",
      paramLabel = "N,N...",
      split = ",",
      description = "Query numbers, 1 to 99 (default: all).")
  private List<Integer> queries;

  @Option(names = "--runs", paramLabel = "N", description = "Timed runs of each query, after one warm-up (default: ${DEFAULT-VALUE}).")
  private int runs = 1;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private TpchRunCommand.ReportFormat format = TpchRunCommand.ReportFormat.table;

  @Override
  public Integer call() throws Exception {
    List<Integer> selected = queries == null ? TpcdsQueries.all() : queries;
    for (int q : selected) {
      if (q < 1 || q > TpcdsQueries.COUNT) {
        throw new ParameterException(spec.commandLine(), "--queries: no TPC-DS query " + q + "; they are 1 to 99");
      }
    }
    if (runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
    }
    if (!Files.isDirectory(data)) {
      throw KilnException.io("--data " + data + ": no such directory (write it with 'kiln tpcds gen')", null);
    }
    KilnCli cli = KilnCli.of(spec);
    try (AutoCloseable cluster = engine.startCluster(); CancelOnInterrupt interrupt = CancelOnInterrupt.install();
        Kiln kiln = interrupt.watch(engine.open())) {
      TpcdsTables.register(kiln, data);
      TpchDriver.Summary summary = TpcdsDriver.runQueries(kiln, selected, runs, cli.out(), format.name());
      cli.out().flush();
      List<TpchDriver.QueryRun> failures = summary.failures();
      for (TpchDriver.QueryRun failure : failures) {
        cli.err().println("kiln: q" + failure.query() + " failed: " + String.join("; ", failure.messages()));
      }
      return failures.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
    }
  }
}
