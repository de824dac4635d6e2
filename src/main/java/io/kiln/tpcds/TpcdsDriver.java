package io.kiln.tpcds;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.tpch.PeakRss;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchDriver.QueryRun;
import io.kiln.tpch.TpchDriver.Status;
import io.kiln.tpch.TpchDriver.Summary;
import java.io.PrintStream;
import java.util.List;

/**
 * Runs TPC-DS queries on a Kiln session and times them, reporting as {@link TpchDriver} does (its
 * records and statistics are shared; TPC-DS ships no answers to check against).
 */
public final class TpcdsDriver {
  private TpcdsDriver() {}

  /**
   * Runs each query once as a warm-up, then {@code runs} timed runs, and reports the median. A
   * query that fails is reported with its error and the others still run.
   *
   * @param format "table" for an aligned table with totals, "tsv" for {@code qN<TAB>median_ms<TAB>rows}
   */
  public static Summary runQueries(Kiln kiln, List<Integer> queries, int runs, PrintStream out, String format) {
    return TpchDriver.report(queries, runs, false, out, format, q -> runOne(kiln, q, runs));
  }

  private static QueryRun runOne(Kiln kiln, int q, int runs) {
    String sql = TpcdsQueries.text(q);
    try {
      Result result = kiln.execute(sql); // warm-up: JIT, code generation cache, file metadata
      boolean peakKnown = PeakRss.reset();
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        result = kiln.execute(sql);
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      return new QueryRun(q, TpchDriver.median(ms), result.rowCount(), Status.RAN, List.of(),
          peakKnown ? PeakRss.bytes() : -1);
    } catch (RuntimeException e) {
      // One failing query must not hide the others' timings; the summary records it as failed.
      return new QueryRun(q, Double.NaN, -1, Status.ERROR, List.of(String.valueOf(e.getMessage())));
    }
  }
}
