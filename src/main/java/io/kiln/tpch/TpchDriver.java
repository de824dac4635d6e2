package io.kiln.tpch;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Runs TPC-H queries on a Kiln session, times them and optionally checks the shipped answers. */
public final class TpchDriver {
  /** The 8 TPC-H tables, each expected as {@code <table>.parquet} in the data directory. */
  public static final List<String> TABLES =
      List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem");

  private TpchDriver() {}

  /** How one query went. */
  public enum Status {
    /** Ran, and was not checked. */
    RAN,
    /** Ran, and matched the expected answer. */
    OK,
    /** Ran, and differed from the expected answer. */
    MISMATCH,
    /** Threw. */
    ERROR
  }

  /** One query's outcome: median over the timed runs (NaN when it failed to run). */
  public record QueryRun(int query, double medianMs, int rows, Status status, List<String> messages,
      long peakRssBytes) {
    /** A run whose peak memory is not known. */
    public QueryRun(int query, double medianMs, int rows, Status status, List<String> messages) {
      this(query, medianMs, rows, status, messages, -1);
    }

    public boolean failed() {
      return status == Status.MISMATCH || status == Status.ERROR;
    }
  }

  /** All queries' outcomes; {@link #failed()} tells the CLI to exit non-zero. */
  public record Summary(List<QueryRun> queries) {
    public List<QueryRun> failures() {
      return queries.stream().filter(QueryRun::failed).toList();
    }

    public boolean failed() {
      return queries.stream().anyMatch(QueryRun::failed);
    }

    /** Sum of medians of the queries that ran. */
    public double totalMs() {
      return queries.stream().filter(q -> q.status != Status.ERROR).mapToDouble(QueryRun::medianMs).sum();
    }

    /** Geometric mean of medians of the queries that ran (NaN if none did). */
    public double geometricMeanMs() {
      return geometricMean(queries.stream()
          .filter(q -> q.status != Status.ERROR).mapToDouble(QueryRun::medianMs).toArray());
    }
  }

  /** Registers {@code dataDir/<table>.parquet} for the 8 tables; fails fast if one is missing. */
  public static void registerTables(Kiln kiln, Path dataDir) {
    for (String table : TABLES) {
      Path file = dataDir.resolve(table + ".parquet");
      if (!Files.isRegularFile(file)) {
        throw KilnException.io("missing " + file + ": generate the TPC-H data into " + dataDir + " first", null);
      }
      kiln.registerParquet(table, file);
    }
  }

  /** The tables at {@code s3://bucket/prefix/}, one {@code TABLE.parquet} object each. */
  public static void registerS3Tables(Kiln kiln, String prefix) {
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    for (String table : TABLES) {
      kiln.registerParquet(table, base + table + ".parquet");
    }
  }

  /**
   * Runs each query once as a warm-up, then {@code runs} timed runs, and reports the median.
   *
   * @param format "table" for an aligned table with totals, "tsv" for
   *     {@code qN<TAB>median_ms<TAB>rows<TAB>peak_rss_mib} (peak RSS "-" where unknown)
   */
  public static Summary runQueries(
      Kiln kiln, List<Integer> queries, int runs, boolean check, PrintStream out, String format) {
    return report(queries, runs, check, out, format, q -> runOne(kiln, q, runs, check));
  }

  /**
   * Runs each query through {@code runOne}, printing a line per query as it ends and then the
   * totals (TPC-H's and TPC-DS's drivers both report this way).
   */
  public static Summary report(List<Integer> queries, int runs, boolean check, PrintStream out, String format,
      java.util.function.IntFunction<QueryRun> runOne) {
    boolean tsv = "tsv".equalsIgnoreCase(format);
    if (!tsv && !"table".equalsIgnoreCase(format)) {
      throw new IllegalArgumentException("format must be 'table' or 'tsv', not '" + format + "'");
    }
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be at least 1, not " + runs);
    }
    if (!tsv) {
      out.printf(Locale.ROOT, "%-6s %12s %10s %14s  %s%n", "query", "median ms", "rows", "peak RSS MiB",
          check ? "check" : "");
    }
    List<QueryRun> results = new ArrayList<>();
    for (int q : queries) {
      QueryRun run = runOne.apply(q);
      results.add(run);
      if (tsv) {
        if (run.status() != Status.ERROR) {
          out.printf(Locale.ROOT, "q%d\t%.3f\t%d\t%s%n", q, run.medianMs(), run.rows(), mib(run.peakRssBytes()));
        }
      } else {
        out.printf(Locale.ROOT, "%-6s %12s %10s %14s  %s%n", "q" + q,
            run.status() == Status.ERROR ? "-" : String.format(Locale.ROOT, "%.1f", run.medianMs()),
            run.status() == Status.ERROR ? "-" : Integer.toString(run.rows()),
            run.status() == Status.ERROR ? "-" : mib(run.peakRssBytes()), statusText(run));
        for (String m : run.messages()) {
          out.println("       " + m.replace("\n", "\n       "));
        }
      }
      out.flush();
    }
    Summary summary = new Summary(List.copyOf(results));
    if (!tsv) {
      out.printf(Locale.ROOT, "total %.1f ms, geometric mean %.1f ms over %d queries%s%n",
          summary.totalMs(), summary.geometricMeanMs(),
          results.stream().filter(r -> r.status() != Status.ERROR).count(),
          summary.failed() ? ", " + summary.failures().size() + " FAILED" : "");
    }
    return summary;
  }

  private static QueryRun runOne(Kiln kiln, int q, int runs, boolean check) {
    String sql = TpchQueries.text(q);
    try {
      Result result = kiln.execute(sql); // warm-up: JIT, code generation cache, file metadata
      boolean peakKnown = PeakRss.reset();
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        result = kiln.execute(sql);
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      double median = median(ms);
      long peak = peakKnown ? PeakRss.bytes() : -1;
      if (!check) {
        return new QueryRun(q, median, result.rowCount(), Status.RAN, List.of(), peak);
      }
      List<String> mismatches = TpchAnswers.compare(q, result);
      return new QueryRun(q, median, result.rowCount(),
          mismatches.isEmpty() ? Status.OK : Status.MISMATCH, List.copyOf(mismatches), peak);
    } catch (RuntimeException e) {
      // One failing query must not hide the others' timings; the summary records it as failed.
      return new QueryRun(q, Double.NaN, -1, Status.ERROR, List.of(String.valueOf(e.getMessage())));
    }
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / (1024.0 * 1024));
  }

  private static String statusText(QueryRun run) {
    switch (run.status()) {
      case OK:
        return "ok";
      case MISMATCH:
        return "MISMATCH";
      case ERROR:
        return "ERROR";
      default:
        return "";
    }
  }

  /** Median of the values (mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Geometric mean; values below 0.001 count as 0.001 so one instant query cannot zero it. */
  public static double geometricMean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double logSum = 0;
    for (double v : values) {
      logSum += Math.log(Math.max(v, 1e-3));
    }
    return Math.exp(logSum / values.length);
  }
}
