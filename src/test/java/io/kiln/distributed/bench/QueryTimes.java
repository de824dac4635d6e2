package io.kiln.distributed.bench;

import io.kiln.Kiln;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** What the recovery benchmarks share: a query's median time over runs. */
final class QueryTimes {
  private QueryTimes() {}

  /** The median of {@code runs} timed runs of {@code sql}, in milliseconds. */
  static long medianMillis(Kiln kiln, String sql, int runs) {
    long[] times = new long[runs];
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      kiln.execute(sql);
      times[r] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
    return median(times);
  }

  static long median(long[] times) {
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
