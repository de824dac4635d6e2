package io.kiln.tpcds;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TPC-DS at any scale outside the test suite, in one of two ways:
 *
 * <ul>
 *   <li>{@code duckdb}: times DuckDB alone on the 99 queries (one warm-up, then the median of the
 *       timed runs), to set beside {@code kiln tpcds run} in a JVM of its own;
 *   <li>{@code compare} (compiled) or {@code compare-interpreted}: runs each query on Kiln in that
 *       mode and on DuckDB and compares the answers as {@link TpcdsDuckDbTest} does, printing one
 *       line per query (ok, MISMATCH or ERROR).
 * </ul>
 *
 * <p>Run (exec:java runs inside Maven's JVM, so Arrow's JVM flags go in MAVEN_OPTS):
 *
 * <pre>
 * MAVEN_OPTS="--add-opens=java.base/java.nio=ALL-UNNAMED -Darrow.allocation.manager.type=Unsafe -Xmx10g" \
 *   mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.tpcds.TpcdsVersusDuckDb -Dexec.args="DATA_DIR duckdb 2 1"
 * </pre>
 *
 * Arguments: the folder written by {@code kiln tpcds gen}, {@code duckdb}, {@code compare} or
 * {@code compare-interpreted}, threads,
 * timed runs (duckdb only), optionally the queries (e.g. {@code 3,42}; default all).
 */
public final class TpcdsVersusDuckDb {
  private TpcdsVersusDuckDb() {}

  public static void main(String[] args) {
    if (args.length < 4 || args.length > 5 || !List.of("duckdb", "compare", "compare-interpreted").contains(args[1])) {
      System.err.println("usage: TpcdsVersusDuckDb <data dir> duckdb|compare|compare-interpreted <threads> <runs> [queries, e.g. 3,42]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int threads = Integer.parseInt(args[2]);
    int runs = Integer.parseInt(args[3]);
    if (threads < 1 || runs < 1) {
      throw new IllegalArgumentException("threads and runs must be at least 1");
    }
    List<Integer> queries = args.length == 5 ? parseQueries(args[4]) : TpcdsQueries.all();
    try (DuckDbOracle duckDb = new DuckDbOracle(threads)) {
      for (String table : TpcdsTables.NAMES) {
        duckDb.registerParquet(table, TpcdsTables.file(dataDir, table));
      }
      if (args[1].equals("duckdb")) {
        timeDuckDb(duckDb, queries, runs);
      } else {
        compare(duckDb, dataDir, threads, queries,
            args[1].equals("compare") ? ExecutionMode.COMPILED : ExecutionMode.INTERPRETED);
      }
    }
  }

  private static void timeDuckDb(DuckDbOracle duckDb, List<Integer> queries, int runs) {
    List<Double> medians = new ArrayList<>();
    System.out.printf(Locale.ROOT, "%-6s %12s %10s%n", "query", "median ms", "rows");
    for (int q : queries) {
      String sql = TpcdsQueries.text(q);
      int rows = duckDb.query(sql).size();
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        duckDb.query(sql);
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      double median = TpchDriver.median(ms);
      medians.add(median);
      System.out.printf(Locale.ROOT, "%-6s %12.1f %10d%n", "q" + q, median, rows);
    }
    System.out.printf(Locale.ROOT, "geometric mean %.1f ms over %d queries%n",
        TpchDriver.geometricMean(medians.stream().mapToDouble(Double::doubleValue).toArray()), medians.size());
  }

  private static void compare(DuckDbOracle duckDb, Path dataDir, int threads, List<Integer> queries,
      ExecutionMode mode) {
    int ok = 0;
    List<String> failed = new ArrayList<>();
    try (Kiln kiln = Kiln.builder().threads(threads).executionMode(mode).build()) {
      TpcdsTables.register(kiln, dataDir);
      for (int q : queries) {
        String sql = TpcdsQueries.text(q);
        String outcome;
        try {
          List<Object[]> expected = duckDb.query(sql);
          Result result = kiln.execute(sql);
          ResultAssert.assertSameRows(sql, result, expected, ResultAssert.hasOuterOrderBy(sql));
          outcome = "ok (" + expected.size() + " rows)";
          ok++;
        } catch (AssertionError e) {
          outcome = "MISMATCH " + firstDifference(e.getMessage());
          failed.add("q" + q);
        } catch (RuntimeException e) {
          outcome = "ERROR " + e.getMessage();
          failed.add("q" + q);
        }
        System.out.printf(Locale.ROOT, "q%-5d %s%n", q, outcome.length() > 600 ? outcome.substring(0, 600) + "..." : outcome);
        System.out.flush();
      }
    }
    System.out.printf(Locale.ROOT, "%d of %d queries match DuckDB; failed: %s%n", ok, queries.size(), failed);
  }

  /** The assertion message without its SQL text: counts and the first differing rows. */
  private static String firstDifference(String message) {
    int rows = message.indexOf("\nrow");
    int counts = message.indexOf("row counts differ");
    int from = counts >= 0 ? counts : rows >= 0 ? rows + 1 : 0;
    return message.substring(0, message.indexOf('\n') < 0 ? message.length() : message.indexOf('\n')) + " | "
        + message.substring(from).replace('\n', ' ');
  }

  private static List<Integer> parseQueries(String list) {
    List<Integer> out = new ArrayList<>();
    for (String q : list.split(",")) {
      out.add(Integer.parseInt(q.trim()));
    }
    return out;
  }
}
