package io.kiln.tpch;

import io.kiln.ExecutionMode;
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
 * warm-up), threads for both engines, and optionally the queries to run (e.g. {@code 3,9,18}).
 */
public final class TpchVersusDuckDb {
  private TpchVersusDuckDb() {}

  public static void main(String[] args) {
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: TpchVersusDuckDb <data dir> <runs> <threads> [queries, e.g. 3,9,18]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    if (runs < 1 || threads < 1) {
      throw new IllegalArgumentException("runs and threads must be at least 1");
    }

    List<Double> interpretedTimes = new ArrayList<>();
    List<Double> compiledTimes = new ArrayList<>();
    List<Double> duckTimes = new ArrayList<>();
    System.out.printf(Locale.ROOT, "TPC-H on %s, %d runs after a warm-up, %d threads, medians%n", dataDir, runs, threads);
    System.out.printf(Locale.ROOT, "%-6s %14s %12s %10s %12s %12s%n", "query", "interpreted", "compiled", "DuckDB",
        "interp/duck", "comp/duck");
    try (Kiln interpreted = Kiln.builder().threads(threads).executionMode(ExecutionMode.INTERPRETED).build();
        Kiln compiled = Kiln.builder().threads(threads).executionMode(ExecutionMode.COMPILED).compileFallback(false)
            .build();
        DuckDbOracle duckDb = new DuckDbOracle(threads)) {
      TpchDriver.registerTables(interpreted, dataDir);
      TpchDriver.registerTables(compiled, dataDir);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, dataDir.resolve(table + ".parquet"));
      }
      for (int q : args.length == 4 ? parseQueries(args[3]) : TpchQueries.all()) {
        String sql = TpchQueries.text(q);
        double[] ms = time(runs, () -> duckDb.query(sql), () -> interpreted.execute(sql), () -> compiled.execute(sql));
        double duckMs = ms[0];
        double interpretedMs = ms[1];
        double compiledMs = ms[2];
        interpretedTimes.add(interpretedMs);
        compiledTimes.add(compiledMs);
        duckTimes.add(duckMs);
        System.out.printf(Locale.ROOT, "%-6s %14.1f %12.1f %10.1f %12.2f %12.2f%n", "q" + q, interpretedMs, compiledMs,
            duckMs, interpretedMs / duckMs, compiledMs / duckMs);
      }
      System.out.println("compiled mode: " + compiled.codegenMetrics());
    }
    double gi = TpchDriver.geometricMean(toArray(interpretedTimes));
    double gc = TpchDriver.geometricMean(toArray(compiledTimes));
    double gd = TpchDriver.geometricMean(toArray(duckTimes));
    System.out.printf(Locale.ROOT, "%-6s %14.1f %12.1f %10.1f %12.2f %12.2f   (geometric means)%n", "geomean", gi, gc,
        gd, gi / gd, gc / gd);
  }

  /**
   * One warm-up of each engine, then {@code runs} rounds running each engine once, in turn (so a
   * busy machine slows them alike); each engine's median in milliseconds.
   */
  private static double[] time(int runs, Runnable... engines) {
    for (Runnable e : engines) {
      e.run();
    }
    double[][] ms = new double[engines.length][runs];
    for (int i = 0; i < runs; i++) {
      for (int e = 0; e < engines.length; e++) {
        long start = System.nanoTime();
        engines[e].run();
        ms[e][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] medians = new double[engines.length];
    for (int e = 0; e < engines.length; e++) {
      medians[e] = TpchDriver.median(ms[e]);
    }
    return medians;
  }

  private static List<Integer> parseQueries(String list) {
    List<Integer> out = new ArrayList<>();
    for (String q : list.split(",")) {
      out.add(Integer.parseInt(q.trim()));
    }
    return out;
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
