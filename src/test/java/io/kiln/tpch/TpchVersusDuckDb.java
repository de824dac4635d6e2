package io.kiln.tpch;

import io.kiln.Kiln;
import io.kiln.testing.DuckDbOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the 22 TPC-H queries on Kiln and on DuckDB over the same Parquet files and thread count,
 * and prints per-query medians, their ratio and the geometric-mean ratio.
 *
 * <p>Run (exec:java runs inside Maven's JVM, so Arrow's JVM flags go in MAVEN_OPTS):
 *
 * <pre>
 * MAVEN_OPTS="--add-opens=java.base/java.nio=ALL-UNNAMED -Darrow.allocation.manager.type=Unsafe -Xmx6g" \
 *   mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.tpch.TpchVersusDuckDb -Dexec.args="DATA_DIR 3 2"
 * </pre>
 *
 * Arguments: the directory holding {@code <table>.parquet}, timed runs per query (after one
 * warm-up), threads for both engines.
 */
public final class TpchVersusDuckDb {
  private TpchVersusDuckDb() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: TpchVersusDuckDb <data dir> <runs> <threads>");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    if (runs < 1 || threads < 1) {
      throw new IllegalArgumentException("runs and threads must be at least 1");
    }

    List<Double> ratios = new ArrayList<>();
    List<Double> kilnTimes = new ArrayList<>();
    List<Double> duckTimes = new ArrayList<>();
    System.out.printf(Locale.ROOT, "TPC-H on %s, %d runs after a warm-up, %d threads, medians%n", dataDir, runs, threads);
    System.out.printf(Locale.ROOT, "%-6s %12s %12s %8s%n", "query", "Kiln ms", "DuckDB ms", "ratio");
    try (Kiln kiln = Kiln.builder().threads(threads).build(); DuckDbOracle duckDb = new DuckDbOracle(threads)) {
      TpchDriver.registerTables(kiln, dataDir);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, dataDir.resolve(table + ".parquet"));
      }
      for (int q : TpchQueries.all()) {
        String sql = TpchQueries.text(q);
        double duckMs = time(() -> duckDb.query(sql), runs);
        double kilnMs;
        try {
          kilnMs = time(() -> kiln.execute(sql), runs);
        } catch (RuntimeException e) {
          // Keep going: one unsupported query should not hide the other 21 numbers.
          System.out.printf(Locale.ROOT, "%-6s %12s %12.1f %8s  %s%n", "q" + q, "error", duckMs, "-", e.getMessage());
          continue;
        }
        double ratio = kilnMs / duckMs;
        kilnTimes.add(kilnMs);
        duckTimes.add(duckMs);
        ratios.add(ratio);
        System.out.printf(Locale.ROOT, "%-6s %12.1f %12.1f %8.2f%n", "q" + q, kilnMs, duckMs, ratio);
      }
    }
    System.out.printf(Locale.ROOT, "%-6s %12.1f %12.1f %8.2f   (geometric means over %d queries)%n", "geomean",
        TpchDriver.geometricMean(toArray(kilnTimes)), TpchDriver.geometricMean(toArray(duckTimes)),
        TpchDriver.geometricMean(toArray(ratios)), ratios.size());
  }

  /** One warm-up, then the median of {@code runs} timed runs, in milliseconds. */
  private static double time(Runnable query, int runs) {
    query.run();
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      query.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return TpchDriver.median(ms);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
