package io.kiln.physical.window;

import io.kiln.data.Vectors;
import io.kiln.logical.Literal;
import io.kiln.logical.WindowCall;
import io.kiln.physical.expr.VectorOps;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * lag, lead, first_value, last_value and nth_value: each row picks the value of one position (or
 * none), found in O(1) from the frame and, with IGNORE NULLS, from the positions of the non-NULL
 * values; lag and lead fall back to their default.
 */
final class ValueFunctions {
  private ValueFunctions() {}

  static boolean handles(WindowCall.Fn fn) {
    return fn.ordinal() >= WindowCall.Fn.LAG.ordinal() && fn.ordinal() <= WindowCall.Fn.NTH_VALUE.ordinal();
  }

  /**
   * {@code value} and {@code fallback} (lag and lead's default, else null) are in sorted order;
   * {@code frame} is null for lag and lead.
   */
  static ValueVector compute(WindowCall call, SortedPartitions rows, FrameBounds frame, ValueVector value,
      ValueVector fallback, BufferAllocator allocator) {
    int n = rows.rows();
    NonNulls nonNulls = call.ignoreNulls() ? new NonNulls(value) : null;
    int[] pick = new int[n];
    for (int p = 0; p < n; p++) {
      pick[p] = position(call, p, rows, frame, nonNulls);
    }
    if (fallback == null) {
      return VectorOps.gather(value, pick, n, allocator);
    }
    if (!(value instanceof VarCharVector)) {
      // Fixed-width values: gather, then put the default where no row was picked.
      ValueVector out = VectorOps.gather(value, pick, n, allocator);
      for (int p = 0; p < n; p++) {
        if (pick[p] < 0) {
          VectorOps.write(out, p, VectorOps.read(fallback, p));
        }
      }
      out.setValueCount(n);
      return out;
    }
    // Written row by row in order: a varchar vector cannot be written out of order.
    ValueVector out = Vectors.allocate(call.type(), call.fn().name().toLowerCase(java.util.Locale.ROOT), allocator, n);
    try {
      for (int p = 0; p < n; p++) {
        VectorOps.write(out, p, pick[p] >= 0 ? VectorOps.read(value, pick[p]) : VectorOps.read(fallback, p));
      }
      out.setValueCount(n);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static int position(WindowCall call, int p, SortedPartitions rows, FrameBounds frame, NonNulls nonNulls) {
    switch (call.fn()) {
      case LAG:
      case LEAD: {
        long offset = (Long) ((Literal) call.args().get(1)).value();
        int lo = rows.partitionStart[p];
        int hi = rows.partitionEnd[p];
        boolean back = call.fn() == WindowCall.Fn.LAG;
        if (offset == 0) {
          return p;
        }
        if (nonNulls == null) {
          long at = back ? p - offset : p + offset;
          return at >= lo && at < hi ? (int) at : -1;
        }
        // The offset-th non-NULL value before (after) the current row.
        long k = back ? nonNulls.before[p] - offset : nonNulls.before[p + 1] + offset - 1;
        if (k < 0 || k >= nonNulls.count) {
          return -1;
        }
        int at = nonNulls.positions[(int) k];
        return at >= lo && at < hi ? at : -1;
      }
      case FIRST_VALUE:
        return nth(1, frame.start[p], frame.end[p], nonNulls);
      case LAST_VALUE: {
        int s = frame.start[p];
        int e = frame.end[p];
        if (s >= e) {
          return -1;
        }
        if (nonNulls == null) {
          return e - 1;
        }
        int k = nonNulls.before[e] - 1;
        return k >= 0 && nonNulls.positions[k] >= s ? nonNulls.positions[k] : -1;
      }
      default:
        return nth((Long) ((Literal) call.args().get(1)).value(), frame.start[p], frame.end[p], nonNulls);
    }
  }

  /** The position of the n-th (from 1) row, or non-NULL value, of the frame [s, e), or -1. */
  private static int nth(long n, int s, int e, NonNulls nonNulls) {
    if (nonNulls == null) {
      return s + n - 1 < e ? (int) (s + n - 1) : -1;
    }
    long k = nonNulls.before[s] + n - 1;
    return k < nonNulls.count && nonNulls.positions[(int) k] < e ? nonNulls.positions[(int) k] : -1;
  }

  /** Where the non-NULL values are: {@code before[p]} of them sit before position p, listed in {@code positions}. */
  private static final class NonNulls {
    final int[] before;
    final int[] positions;
    final int count;

    NonNulls(ValueVector v) {
      int n = v.getValueCount();
      before = new int[n + 1];
      positions = new int[n];
      int c = 0;
      for (int p = 0; p < n; p++) {
        before[p] = c;
        if (!v.isNull(p)) {
          positions[c++] = p;
        }
      }
      before[n] = c;
      count = c;
    }
  }
}
