package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.datasource.objectstore.FetchStats;
import io.kiln.datasource.objectstore.S3Location;
import io.kiln.tpch.TpchDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs TPC-H queries on data written by 'tpch gen' and prints their timings.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  kiln tpch run --data data/sf0.1",
      "  kiln tpch run --data data/sf1 --queries 1,6 --runs 5 --check",
      "  kiln tpch run --data s3://tpch/sf1/ --s3-endpoint http://127.0.0.1:9000 --s3-path-style"
    })
final class TpchRunCommand implements Callable<Integer> {
  /** The formats the driver prints its report in. */
  enum ReportFormat { table, tsv }

  private static final int QUERY_COUNT = 22;

  @Spec private CommandSpec spec;

  @Mixin private EngineOptions engine;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      required = true,
      description = "Folder written by 'kiln tpch gen', or an S3 prefix holding its files (s3://bucket/prefix/).")
  private String data;

  @Option(
      names = "--queries",
      paramLabel = "N,N...",
      split = ",",
      description = "Query numbers, 1 to 22 (default: all).")
  private List<Integer> queries;

  @Option(names = "--runs", paramLabel = "N", description = "Runs of each query (default: ${DEFAULT-VALUE}).")
  private int runs = 1;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private ReportFormat format = ReportFormat.table;

  /** Orders at SF 0.01, the scale of the answers {@code --check} compares with. */
  private static final long ANSWERS_ORDERS = 15_000;

  @Option(names = "--check", description = "Compare each answer with the expected one; exit 4 if any differs.")
  private boolean check;

  @Override
  public Integer call() throws Exception {
    List<Integer> selected = queries == null
        ? IntStream.rangeClosed(1, QUERY_COUNT).boxed().collect(Collectors.toList())
        : queries;
    for (int q : selected) {
      if (q < 1 || q > QUERY_COUNT) {
        throw new ParameterException(spec.commandLine(), "--queries: no TPC-H query " + q + "; they are 1 to 22");
      }
    }
    if (runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
    }
    boolean s3 = S3Location.isS3(data);
    if (!s3 && !Files.isDirectory(Path.of(data))) {
      throw KilnException.io("--data " + data + ": no such directory (write it with 'kiln tpch gen')", null);
    }
    KilnCli cli = KilnCli.of(spec);
    try (AutoCloseable cluster = engine.startCluster(); CancelOnInterrupt interrupt = CancelOnInterrupt.install();
        Kiln kiln = interrupt.watch(engine.open())) {
      if (s3) {
        TpchDriver.registerS3Tables(kiln, data);
      } else {
        TpchDriver.registerTables(kiln, Path.of(data));
      }
      if (check) {
        // The shipped answers are SF 0.01's: at another scale every answer would be reported wrong.
        long orders = ((Number) kiln.execute("SELECT count(*) FROM orders").get(0, 0)).longValue();
        if (orders != ANSWERS_ORDERS) {
          cli.err().printf("kiln: --check compares with the TPC-H answers for SF 0.01 (%,d orders) shipped in"
              + " io.trino.tpch, but %s has %,d orders (SF %s); leave out --check, or generate SF 0.01 data%n",
              ANSWERS_ORDERS, data, orders, orders / 1_500_000.0);
          return ExitCodes.USAGE;
        }
      }
      TpchDriver.Summary summary = TpchDriver.runQueries(kiln, selected, runs, check, cli.out(), format.name());
      if (s3) {
        FetchStats.Snapshot fetched = kiln.s3Stats();
        cli.out().printf("S3: %d GET requests, %d bytes fetched, %d LIST/HEAD requests, %d retries%n",
            fetched.getRequests(), fetched.bytesFetched(), fetched.metadataRequests(), fetched.retries());
      }
      cli.out().flush();
      List<TpchDriver.QueryRun> failures = summary.failures();
      for (TpchDriver.QueryRun failure : failures) {
        cli.err().println("kiln: check failed: q" + failure.query() + ": " + String.join("; ", failure.messages()));
      }
      return failures.isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
  }
}
