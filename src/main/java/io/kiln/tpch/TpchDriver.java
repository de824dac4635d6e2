package io.kiln.tpch;

import io.kiln.Kiln;
import io.kiln.KilnException;
import io.kiln.Result;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs TPC-H queries on a session: a warm-up, then timed runs; reports medians and checks answers. */
public final class TpchDriver {
  public static final List<String> TABLES =
      List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem");

  private TpchDriver() {}

  /** Per-query medians (ms), row counts, and answer mismatches (empty when all checks passed). */
  public record Summary(List<Double> medians, List<Integer> rows, List<String> failures) {}

  public static void registerTables(Kiln kiln, Path dataDir) {
    for (String t : TABLES) {
      Path file = dataDir.resolve(t + ".parquet");
      if (!Files.exists(file)) {
        throw KilnException.io("missing " + file + " (generate the data with: tpch gen --sf 0.1 --out " + dataDir + ")", null);
      }
      kiln.registerParquet(t, file);
    }
  }

  public static Summary runQueries(Kiln kiln, List<Integer> queries, int runs, boolean check, PrintStream out,
      String format) {
    List<Double> medians = new ArrayList<>();
    List<Integer> rowCounts = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean table = !"tsv".equals(format);
    if (table) {
      out.printf("%-6s %12s %8s  %s%n", "query", "median ms", "rows", check ? "check" : "");
    }
    double logSum = 0;
    double total = 0;
    for (int q : queries) {
      String sql = TpchQueries.text(q);
      Result result = kiln.execute(sql);
      double[] times = new double[Math.max(1, runs)];
      for (int i = 0; i < times.length; i++) {
        long t0 = System.nanoTime();
        result = kiln.execute(sql);
        times[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(times);
      double median = times[times.length / 2];
      medians.add(median);
      rowCounts.add(result.rowCount());
      logSum += Math.log(Math.max(median, 0.001));
      total += median;
      String status = "";
      if (check) {
        List<String> problems = TpchAnswers.check(q, result);
        failures.addAll(problems);
        status = problems.isEmpty() ? "ok" : "MISMATCH: " + problems.get(0);
      }
      if (table) {
        out.printf("q%-5d %12.1f %8d  %s%n", q, median, result.rowCount(), status);
      } else {
        out.printf("q%d\t%.1f\t%d%n", q, median, result.rowCount());
      }
    }
    if (table && !queries.isEmpty()) {
      out.printf("total %.1f ms, geometric mean %.1f ms over %d queries%n", total,
          Math.exp(logSum / queries.size()), queries.size());
    }
    return new Summary(medians, rowCounts, failures);
  }
}
