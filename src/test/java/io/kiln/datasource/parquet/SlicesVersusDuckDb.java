package io.kiln.datasource.parquet;

import io.kiln.Kiln;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.testing.DuckDbOracle;
import io.kiln.tpch.TpchQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times scans of one lineitem file (e.g. written by {@link io.kiln.tpch.BigRowGroupLineitem}) with
 * row groups whole and sliced into morsels, against DuckDB on the same file, at 1 and 2 threads.
 * The three run in turn, each turn after both cores were idle for a second (at most a minute's
 * wait: the machine is shared), and each cell is "median/fastest" in ms. A measuring tool, not a
 * test: {@code -Dexec.mainClass=io.kiln.datasource.parquet.SlicesVersusDuckDb -Dexec.args="FILE RUNS"}.
 */
public final class SlicesVersusDuckDb {
  private SlicesVersusDuckDb() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    List<String[]> queries = List.of(
        new String[] {"sum", "SELECT sum(l_extendedprice) FROM lineitem"},
        new String[] {"sum+date filter",
            "SELECT sum(l_extendedprice) FROM lineitem WHERE l_shipdate BETWEEN DATE '1995-03-01' AND DATE '1995-03-10'"},
        new String[] {"4 columns",
            "SELECT sum(l_quantity), sum(l_extendedprice), min(l_shipdate), max(l_shipmode) FROM lineitem"},
        new String[] {"q1", TpchQueries.text(1)},
        new String[] {"q6", TpchQueries.text(6)});
    System.out.printf(Locale.ROOT, "%-16s %7s %12s %12s %12s %s%n", "query", "threads", "whole", "sliced", "DuckDB",
        "morsels");
    for (int threads = 1; threads <= 2; threads++) {
      try (Kiln before = Kiln.builder().threads(threads).build(); Kiln after = Kiln.builder().threads(threads).build();
          DuckDbOracle duck = new DuckDbOracle(threads)) {
        ParquetTable whole = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, new RowGroupSlicer(Long.MAX_VALUE));
        ParquetTable sliced = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, RowGroupSlicer.DEFAULT);
        before.registerTable("lineitem", whole);
        after.registerTable("lineitem", sliced);
        duck.registerParquet("lineitem", file);
        for (String[] q : queries) {
          double[][] ms = new double[3][runs];
          for (int i = -2; i < runs; i++) { // two warm-up turns
            waitForIdleCores();
            double[] turn = {time(() -> before.execute(q[1])), time(() -> after.execute(q[1])),
                time(() -> duck.query(q[1]))};
            for (int v = 0; i >= 0 && v < 3; v++) {
              ms[v][i] = turn[v];
            }
          }
          System.out.printf(Locale.ROOT, "%-16s %7d %12s %12s %12s %d -> %d%n", q[0], threads, stat(ms[0]), stat(ms[1]),
              stat(ms[2]), whole.lastScanMetrics().morselsRead(), sliced.lastScanMetrics().morselsRead());
        }
      }
    }
  }

  private static double time(Runnable query) {
    long start = System.nanoTime();
    query.run();
    return (System.nanoTime() - start) / 1e6;
  }

  private static String stat(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "%.0f/%.0f", s[s.length / 2], s[0]);
  }

  /** Waits until other processes leave both cores idle for a second, or a minute passed. */
  private static void waitForIdleCores() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      long[] a = cpuJiffies();
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long[] b = cpuJiffies();
      if ((double) (b[1] - a[1]) / (b[0] - a[0]) > 0.92) {
        return;
      }
    }
    System.out.println("(cores still busy after a minute: timing anyway)");
  }

  /** Total and idle (idle + iowait) jiffies of all cores, from /proc/stat (Linux). */
  private static long[] cpuJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
