package io.kiln.physical.window;

import io.kiln.data.Bytes;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A segment tree over a column's positions whose nodes hold the position of their range's least
 * (or greatest) non-NULL value: min and max of any frame in O(log n), for values of every kind,
 * with no assumption about how frames move.
 */
final class ExtremeTree {
  private final ValueVector v;
  private final boolean max;
  private final int size;
  /** Node i's best position (-1: only NULLs); leaves at size..2*size-1. */
  private final int[] best;

  ExtremeTree(ValueVector v, boolean max) {
    this.v = v;
    this.max = max;
    int n = v.getValueCount();
    int s = 1;
    while (s < n) {
      s <<= 1;
    }
    size = s;
    best = new int[2 * s];
    java.util.Arrays.fill(best, -1);
    for (int p = 0; p < n; p++) {
      best[s + p] = v.isNull(p) ? -1 : p;
    }
    for (int i = s - 1; i >= 1; i--) {
      best[i] = better(best[2 * i], best[2 * i + 1]);
    }
  }

  /** The position of the best value in [from, to), or -1 if it holds only NULLs or nothing. */
  int query(int from, int to) {
    int result = -1;
    for (int l = from + size, r = to + size; l < r; l >>= 1, r >>= 1) {
      if ((l & 1) == 1) {
        result = better(result, best[l++]);
      }
      if ((r & 1) == 1) {
        result = better(result, best[--r]);
      }
    }
    return result;
  }

  /** For running frames ({@link FrameBounds#running}): each row's best position in one pass, O(n). */
  static int[] running(ValueVector v, boolean max, FrameBounds f) {
    int n = f.start.length;
    int[] pick = new int[n];
    int best = -1;
    int upTo = 0;
    for (int p = 0; p < n; p++) {
      if (p == 0 || f.start[p] != f.start[p - 1]) {
        best = -1; // a new partition
        upTo = f.start[p];
      }
      for (; upTo < f.end[p]; upTo++) {
        best = better(v, max, best, v.isNull(upTo) ? -1 : upTo);
      }
      pick[p] = best;
    }
    return pick;
  }

  private int better(int a, int b) {
    return better(v, max, a, b);
  }

  private static int better(ValueVector v, boolean max, int a, int b) {
    if (a < 0) {
      return b;
    }
    if (b < 0) {
      return a;
    }
    int c = compare(v, a, b);
    return (max ? c >= 0 : c <= 0) ? a : b;
  }

  private static int compare(ValueVector v, int a, int b) {
    if (v instanceof BigIntVector) {
      return Long.compare(((BigIntVector) v).get(a), ((BigIntVector) v).get(b));
    }
    if (v instanceof Float8Vector) {
      return Double.compare(((Float8Vector) v).get(a), ((Float8Vector) v).get(b));
    }
    if (v instanceof VarCharVector) {
      return Bytes.compare((VarCharVector) v, a, (VarCharVector) v, b);
    }
    return Integer.compare(((BitVector) v).get(a), ((BitVector) v).get(b));
  }
}
