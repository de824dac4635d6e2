package io.kiln.physical.window;

import io.kiln.logical.Literal;
import io.kiln.logical.WindowCall;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;

/** row_number, rank, dense_rank, percent_rank, cume_dist and ntile: from positions, partitions and peers alone. */
final class RankingFunctions {
  private RankingFunctions() {}

  static boolean handles(WindowCall.Fn fn) {
    return fn.ordinal() <= WindowCall.Fn.NTILE.ordinal();
  }

  static ValueVector compute(WindowCall call, SortedPartitions rows, BufferAllocator allocator) {
    int n = rows.rows();
    if (call.fn() == WindowCall.Fn.PERCENT_RANK || call.fn() == WindowCall.Fn.CUME_DIST) {
      Float8Vector out = new Float8Vector(call.fn().name().toLowerCase(java.util.Locale.ROOT), allocator);
      out.allocateNew(Math.max(n, 1));
      for (int p = 0; p < n; p++) {
        int size = rows.partitionEnd[p] - rows.partitionStart[p];
        double v;
        if (call.fn() == WindowCall.Fn.PERCENT_RANK) {
          v = size == 1 ? 0 : (double) (rows.peerStart[p] - rows.partitionStart[p]) / (size - 1);
        } else {
          v = (double) (rows.peerEnd[p] - rows.partitionStart[p]) / size;
        }
        out.set(p, v);
      }
      out.setValueCount(n);
      return out;
    }
    BigIntVector out = new BigIntVector(call.fn().name().toLowerCase(java.util.Locale.ROOT), allocator);
    out.allocateNew(Math.max(n, 1));
    long dense = 0;
    for (int p = 0; p < n; p++) {
      int first = rows.partitionStart[p];
      long v;
      switch (call.fn()) {
        case ROW_NUMBER:
          v = p - first + 1;
          break;
        case RANK:
          v = rows.peerStart[p] - first + 1;
          break;
        case DENSE_RANK:
          dense = p == first ? 1 : rows.peerStart[p] == p ? dense + 1 : dense;
          v = dense;
          break;
        default:
          v = ntile(p - first, rows.partitionEnd[p] - first, (Long) ((Literal) call.args().get(0)).value());
          break;
      }
      out.set(p, v);
    }
    out.setValueCount(n);
    return out;
  }

  /**
   * The bucket (from 1) of the row at {@code index} of {@code size} rows split into {@code buckets}
   * as evenly as possible, the first {@code size % buckets} buckets one row larger.
   */
  static long ntile(int index, int size, long buckets) {
    long small = size / buckets;
    long large = small + 1;
    long bigBuckets = size % buckets;
    if (index < bigBuckets * large) {
      return index / large + 1;
    }
    return bigBuckets + (index - bigBuckets * large) / small + 1;
  }
}
