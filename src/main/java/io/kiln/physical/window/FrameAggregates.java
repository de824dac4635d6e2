package io.kiln.physical.window;

import io.kiln.error.KilnException;
import io.kiln.logical.WindowCall;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.Decimals;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;

/**
 * Aggregates as window functions, over each row's frame, without re-aggregating any frame:
 * counts and exact (integer, decimal) sums and averages by prefix sums, O(n) for any frame;
 * min and max, DOUBLE sums, averages and variances in one adding pass for running frames (O(n)),
 * else by a segment tree of positions or of moments, O(log n) per frame.
 */
final class FrameAggregates {
  /** Beyond this a frame's sum does not fit the 64-bit integer decimals and integers travel in. */
  private static final double LONG_LIMIT = 9.2e18;

  private FrameAggregates() {}

  /** {@code arg}: the argument in sorted order (null for count(*)). */
  static ValueVector compute(WindowCall call, FrameBounds f, ValueVector arg, BufferAllocator allocator) {
    int n = f.start.length;
    switch (call.fn()) {
      case COUNT_STAR:
      case COUNT:
        return count(call, f, arg, allocator);
      case MIN:
      case MAX: {
        boolean max = call.fn() == WindowCall.Fn.MAX;
        int[] pick;
        if (f.running) {
          pick = ExtremeTree.running(arg, max, f);
        } else {
          ExtremeTree tree = new ExtremeTree(arg, max);
          pick = new int[n];
          for (int p = 0; p < n; p++) {
            pick[p] = tree.query(f.start[p], f.end[p]);
          }
        }
        return VectorOps.gather(arg, pick, n, allocator);
      }
      default:
        if (!(arg instanceof BigIntVector) && !(arg instanceof Float8Vector)) {
          // sum(NULL) and the like: an argument with no numeric values has no sum.
          return VectorOps.nulls(call.type(), n, allocator);
        }
        if (arg instanceof BigIntVector) {
          if (call.fn() != WindowCall.Fn.SUM && call.fn() != WindowCall.Fn.AVG) {
            throw new IllegalArgumentException(call.fn() + " over integers: the binder casts its argument to DOUBLE");
          }
          return exactSum(call, f, (BigIntVector) arg, allocator);
        }
        return moments(call, f, (Float8Vector) arg, allocator);
    }
  }

  private static ValueVector count(WindowCall call, FrameBounds f, ValueVector arg, BufferAllocator allocator) {
    int n = f.start.length;
    int[] nonNull = null;
    if (call.fn() == WindowCall.Fn.COUNT) {
      nonNull = new int[n + 1];
      for (int p = 0; p < n; p++) {
        nonNull[p + 1] = nonNull[p] + (arg.isNull(p) ? 0 : 1);
      }
    }
    BigIntVector out = new BigIntVector("count", allocator);
    out.allocateNew(Math.max(n, 1));
    for (int p = 0; p < n; p++) {
      int s = f.start[p];
      int e = f.end[p];
      out.set(p, nonNull == null ? e - s : nonNull[e] - nonNull[s]);
    }
    out.setValueCount(n);
    return out;
  }

  /**
   * Integer and decimal sums by prefix sums. The prefix sums may wrap around; a frame's
   * difference is still exact whenever the frame's sum fits in a long, which a DOUBLE prefix sum
   * beside it checks (overflow is an error, as for the aggregate).
   */
  private static ValueVector exactSum(WindowCall call, FrameBounds f, BigIntVector arg, BufferAllocator allocator) {
    int n = f.start.length;
    long[] sums = new long[n + 1];
    double[] approx = new double[n + 1];
    int[] counts = new int[n + 1];
    for (int p = 0; p < n; p++) {
      boolean isNull = arg.isNull(p);
      long v = isNull ? 0 : arg.get(p);
      sums[p + 1] = sums[p] + v;
      approx[p + 1] = approx[p] + v;
      counts[p + 1] = counts[p] + (isNull ? 0 : 1);
    }
    boolean average = call.fn() == WindowCall.Fn.AVG;
    int argScale = call.args().get(0).type().scale();
    int scale = call.type().scale();
    BigIntVector out = new BigIntVector(average ? "avg" : "sum", allocator);
    out.allocateNew(Math.max(n, 1));
    for (int p = 0; p < n; p++) {
      int s = f.start[p];
      int e = f.end[p];
      long count = counts[e] - counts[s];
      if (count == 0) {
        continue;
      }
      if (Math.abs(approx[e] - approx[s]) > LONG_LIMIT) {
        throw KilnException.execution("overflow in " + (average ? "avg" : "sum") + " over a window frame: the total"
            + " does not fit in 18 digits; cast the argument to DOUBLE");
      }
      long sum = sums[e] - sums[s];
      out.set(p, average ? Decimals.divide(sum, argScale, count, 0, scale) : sum);
    }
    out.setValueCount(n);
    return out;
  }

  private static ValueVector moments(WindowCall call, FrameBounds f, Float8Vector arg, BufferAllocator allocator) {
    int n = f.start.length;
    MomentTree tree = f.running ? null : new MomentTree(arg);
    Float8Vector out = new Float8Vector(call.fn().name().toLowerCase(java.util.Locale.ROOT), allocator);
    out.allocateNew(Math.max(n, 1));
    // Running frames: the moments of the rows added so far, one row at a time (Welford).
    long count = 0;
    double sum = 0;
    double mean = 0;
    double m2 = 0;
    int upTo = 0;
    for (int p = 0; p < n; p++) {
      if (tree != null) {
        tree.query(f.start[p], f.end[p]);
      } else {
        if (p == 0 || f.start[p] != f.start[p - 1]) {
          count = 0;
          sum = 0;
          mean = 0;
          m2 = 0;
          upTo = f.start[p];
        }
        for (; upTo < f.end[p]; upTo++) {
          if (!arg.isNull(upTo)) {
            double x = arg.get(upTo);
            count++;
            sum += x;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
          }
        }
      }
      long c = tree != null ? tree.qCount : count;
      double qSum = tree != null ? tree.qSum : sum;
      double qM2 = tree != null ? tree.qM2 : m2;
      double v;
      switch (call.fn()) {
        case SUM:
          v = qSum;
          break;
        case AVG:
          v = qSum / c;
          break;
        case VAR_SAMP:
          v = qM2 / (c - 1);
          break;
        case VAR_POP:
          v = qM2 / c;
          break;
        case STDDEV_SAMP:
          v = Math.sqrt(qM2 / (c - 1));
          break;
        default:
          v = Math.sqrt(qM2 / c);
          break;
      }
      boolean sample = call.fn() == WindowCall.Fn.VAR_SAMP || call.fn() == WindowCall.Fn.STDDEV_SAMP;
      if (c > (sample ? 1 : 0)) {
        out.set(p, v);
      }
    }
    out.setValueCount(n);
    return out;
  }
}
