package io.kiln.tpch;

import io.kiln.Kiln;
import io.kiln.testing.DuckDbOracle;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Times Parquet scan-bound queries on {@code lineitem}, Kiln against DuckDB over the same file, at
 * 1 and 2 threads, printing medians and their ratio. A measuring tool, not a test.
 *
 * <p>Run like {@link TpchVersusDuckDb}: {@code -Dexec.mainClass=io.kiln.tpch.ScanVersusDuckDb
 * -Dexec.args="DATA_DIR RUNS [QUERY NAMES, comma separated]"}.
 */
public final class ScanVersusDuckDb {
  private ScanVersusDuckDb() {}

  static final List<String[]> QUERIES = List.of(
      new String[] {"sum", "SELECT sum(l_extendedprice) FROM lineitem"},
      new String[] {"sum+date filter",
          "SELECT sum(l_extendedprice) FROM lineitem WHERE l_shipdate BETWEEN DATE '1995-03-01' AND DATE '1995-03-10'"},
      new String[] {"4 columns",
          "SELECT sum(l_quantity), sum(l_extendedprice), min(l_shipdate), max(l_shipmode) FROM lineitem"},
      new String[] {"10 days",
          "SELECT sum(l_extendedprice) FROM lineitem WHERE l_shipdate >= DATE '1995-01-01' AND l_shipdate < DATE '1995-01-11'"},
      new String[] {"q6",
          "SELECT sum(l_extendedprice * l_discount) FROM lineitem WHERE l_shipdate >= DATE '1994-01-01'"
              + " AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"},
      new String[] {"4 cols filtered",
          "SELECT sum(l_quantity), sum(l_extendedprice), min(l_comment), max(l_shipmode) FROM lineitem"
              + " WHERE l_shipmode IN ('MAIL', 'SHIP') AND l_receiptdate >= DATE '1994-01-01'"
              + " AND l_receiptdate < DATE '1995-01-01'"},
      new String[] {"string eq",
          "SELECT count(*), sum(l_extendedprice), max(l_comment) FROM lineitem WHERE l_shipinstruct = 'DELIVER IN PERSON'"
              + " AND l_shipmode = 'AIR'"});

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    System.out.printf(Locale.ROOT, "%-16s %7s %10s %10s %7s%n", "query", "threads", "Kiln ms", "DuckDB ms", "ratio");
    for (int threads = 1; threads <= 2; threads++) {
      try (Kiln kiln = Kiln.builder().threads(threads).build(); DuckDbOracle duckDb = new DuckDbOracle(threads)) {
        kiln.registerParquet("lineitem", dataDir.resolve("lineitem.parquet"));
        duckDb.registerParquet("lineitem", dataDir.resolve("lineitem.parquet"));
        for (String[] q : QUERIES) {
          if (args.length > 2 && !List.of(args[2].split(",")).contains(q[0])) {
            continue;
          }
          double duckMs = time(() -> duckDb.query(q[1]), runs);
          double kilnMs = time(() -> kiln.execute(q[1]), runs);
          System.out.printf(Locale.ROOT, "%-16s %7d %10.1f %10.1f %7.2f%n", q[0], threads, kilnMs, duckMs,
              kilnMs / duckMs);
        }
      }
    }
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
}
