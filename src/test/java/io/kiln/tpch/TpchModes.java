package io.kiln.tpch;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the TPC-H queries in interpreted and in compiled mode in one JVM, interleaved (the order
 * alternates from round to round, so neither mode always runs right after the other), and prints
 * per-query medians and their ratio. Without DuckDB's runs in between, it takes half the time of
 * {@link TpchVersusDuckDb}, so more rounds fit on a busy machine. On a machine shared with other
 * work, the process CPU time per query (JIT and GC threads included) varies less than the wall
 * time, so its medians are printed too.
 *
 * <p>Arguments: the directory holding {@code <table>.parquet}, timed rounds per query (after
 * {@code warmups} untimed ones of each mode), threads, optionally the queries (e.g. {@code 2,4,8})
 * and the warm-ups per mode (default 2).
 */
public final class TpchModes {
  private TpchModes() {}

  public static void main(String[] args) {
    if (args.length < 3 || args.length > 5) {
      System.err.println("usage: TpchModes <data dir> <runs> <threads> [queries, e.g. 2,4,8] [warm-ups]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    List<Integer> queries = args.length >= 4 && !args[3].equals("all") ? parseQueries(args[3]) : TpchQueries.all();
    int warmups = args.length == 5 ? Integer.parseInt(args[4]) : 2;
    List<Double> interpretedTimes = new ArrayList<>();
    List<Double> compiledTimes = new ArrayList<>();
    System.out.printf(Locale.ROOT, "TPC-H on %s, %d warm-ups then %d interleaved runs per mode, %d threads, medians (ms)%n",
        dataDir, warmups, runs, threads);
    System.out.printf(Locale.ROOT, "%-6s %12s %12s %10s %9s %9s %9s   %s%n", "query", "interpreted", "compiled",
        "comp/int", "cpu int", "cpu comp", "comp/int", "wall runs (interpreted | compiled)");
    try (Kiln interpreted = Kiln.builder().threads(threads).executionMode(ExecutionMode.INTERPRETED).build();
        Kiln compiled = Kiln.builder().threads(threads).executionMode(ExecutionMode.COMPILED).compileFallback(false)
            .build()) {
      TpchDriver.registerTables(interpreted, dataDir);
      TpchDriver.registerTables(compiled, dataDir);
      int losses = 0;
      for (int q : queries) {
        String sql = TpchQueries.text(q);
        for (int w = 0; w < warmups; w++) {
          interpreted.execute(sql);
          compiled.execute(sql);
        }
        double[] ti = new double[runs];
        double[] tc = new double[runs];
        double[] ci = new double[runs];
        double[] cc = new double[runs];
        for (int r = 0; r < runs; r++) {
          if (r % 2 == 0) {
            time(interpreted, sql, ti, ci, r);
            time(compiled, sql, tc, cc, r);
          } else {
            time(compiled, sql, tc, cc, r);
            time(interpreted, sql, ti, ci, r);
          }
        }
        double mi = TpchDriver.median(ti);
        double mc = TpchDriver.median(tc);
        interpretedTimes.add(mi);
        compiledTimes.add(mc);
        losses += mc > mi ? 1 : 0;
        double cpuI = TpchDriver.median(ci);
        double cpuC = TpchDriver.median(cc);
        System.out.printf(Locale.ROOT, "%-6s %12.1f %12.1f %10.2f %9.0f %9.0f %9.2f   %s | %s%n", "q" + q, mi, mc,
            mc / mi, cpuI, cpuC, cpuC / cpuI, list(ti), list(tc));
      }
      System.out.println("compiled mode: " + compiled.codegenMetrics());
      double gi = TpchDriver.geometricMean(toArray(interpretedTimes));
      double gc = TpchDriver.geometricMean(toArray(compiledTimes));
      System.out.printf(Locale.ROOT, "%-6s %12.1f %12.1f %10.2f   (geometric means; compiled slower on %d of %d)%n",
          "geomean", gi, gc, gc / gi, losses, queries.size());
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** Runs the query once; its wall and process CPU milliseconds go to {@code wall[r]} and {@code cpu[r]}. */
  private static void time(Kiln kiln, String sql, double[] wall, double[] cpu, int r) {
    long cpuStart = OS.getProcessCpuTime();
    long start = System.nanoTime();
    kiln.execute(sql);
    wall[r] = (System.nanoTime() - start) / 1e6;
    cpu[r] = (OS.getProcessCpuTime() - cpuStart) / 1e6;
  }

  private static String list(double[] ms) {
    StringBuilder sb = new StringBuilder();
    for (double m : ms) {
      sb.append(sb.length() == 0 ? "" : " ").append(Math.round(m));
    }
    return sb.toString();
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
