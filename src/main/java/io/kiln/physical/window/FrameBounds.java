package io.kiln.physical.window;

import io.kiln.logical.WindowFrame;
import io.kiln.logical.WindowFrame.Bound;
import io.kiln.logical.WindowFrame.BoundKind;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;

/**
 * Each row's frame as a half-open range of sorted positions [start, end), inside its partition;
 * an empty frame has start == end. ROWS bounds count positions; RANGE bounds take the current
 * row's peers, and RANGE offsets compare the single order key (sorted, so a binary search finds
 * each bound). A row whose order key is NULL has only its NULL peers within any offset.
 */
final class FrameBounds {
  final int[] start;
  final int[] end;
  /**
   * Whether every frame starts at its partition's start and ends no earlier than the one before
   * it (running totals, whole partitions): then one pass that only adds rows computes them all.
   */
  boolean running;

  private FrameBounds(int n) {
    start = new int[n];
    end = new int[n];
  }

  /** {@code orderKey}: the single order key in sorted order (RANGE offsets only, else null). */
  static FrameBounds of(WindowFrame frame, SortedPartitions rows, ValueVector orderKey, boolean ascending) {
    int n = rows.rows();
    FrameBounds f = new FrameBounds(n);
    boolean range = frame.units() == WindowFrame.Units.RANGE;
    boolean offsets = range && (hasOffset(frame.start()) || hasOffset(frame.end()));
    SortedKey key = offsets ? new SortedKey(orderKey, ascending) : null;
    for (int p = 0; p < n; p++) {
      int s = range ? rangeBound(frame.start(), true, p, rows, key) : rowsBound(frame.start(), true, p, rows);
      int e = range ? rangeBound(frame.end(), false, p, rows, key) : rowsBound(frame.end(), false, p, rows);
      f.start[p] = s;
      f.end[p] = Math.max(s, e);
    }
    f.running = true;
    for (int p = 0; p < n && f.running; p++) {
      int first = rows.partitionStart[p];
      f.running = f.start[p] == first && (p == first || f.end[p] >= f.end[p - 1]);
    }
    return f;
  }

  private static boolean hasOffset(Bound b) {
    return b.offset() != null;
  }

  private static int rowsBound(Bound b, boolean isStart, int p, SortedPartitions rows) {
    int lo = rows.partitionStart[p];
    int hi = rows.partitionEnd[p];
    long at;
    switch (b.kind()) {
      case UNBOUNDED_PRECEDING:
        return lo;
      case UNBOUNDED_FOLLOWING:
        return hi;
      case CURRENT_ROW:
        at = p;
        break;
      case PRECEDING:
        at = (long) p - (Long) b.offset().value();
        break;
      default:
        at = (long) p + (Long) b.offset().value();
        break;
    }
    // A start at row r includes r; an end at row r includes r too, so the exclusive end is r + 1.
    long pos = isStart ? at : at + 1;
    return (int) Math.max(lo, Math.min(hi, pos));
  }

  private static int rangeBound(Bound b, boolean isStart, int p, SortedPartitions rows, SortedKey key) {
    int lo = rows.partitionStart[p];
    int hi = rows.partitionEnd[p];
    if (b.kind() == BoundKind.UNBOUNDED_PRECEDING) {
      return lo;
    }
    if (b.kind() == BoundKind.UNBOUNDED_FOLLOWING) {
      return hi;
    }
    if (b.kind() == BoundKind.CURRENT_ROW || key.isNull(p)) {
      return isStart ? rows.peerStart[p] : rows.peerEnd[p];
    }
    // The partition's non-NULL keys lie together, NULLs before or after them.
    int nonNullLo = rows.peerStart[lo] == lo && key.isNull(lo) ? rows.peerEnd[lo] : lo;
    int nonNullHi = key.isNull(hi - 1) ? rows.peerStart[hi - 1] : hi;
    boolean preceding = b.kind() == BoundKind.PRECEDING;
    return key.search(p, b.offset().value(), preceding, isStart, nonNullLo, nonNullHi);
  }

  /** The order key in sorted order, seen so that it always grows along the positions (DESC negated). */
  private static final class SortedKey {
    private final ValueVector v;
    private final boolean ascending;

    SortedKey(ValueVector v, boolean ascending) {
      this.v = v;
      this.ascending = ascending;
    }

    boolean isNull(int p) {
      return v.isNull(p);
    }

    /**
     * The first position in [lo, hi) whose key is at least (start) or beyond (end) the current
     * row's key moved by {@code offset} (back for PRECEDING, forward for FOLLOWING).
     */
    int search(int p, Object offset, boolean preceding, boolean isStart, int lo, int hi) {
      if (v instanceof Float8Vector) {
        double target = key(p) + (preceding ? -1 : 1) * (Double) offset;
        return firstAfter(lo, hi, q -> isStart ? key(q) >= target : key(q) > target);
      }
      long k = longKey(p);
      long off = (Long) offset;
      long target = preceding ? saturatedSub(k, off) : saturatedAdd(k, off);
      return firstAfter(lo, hi, q -> isStart ? longKey(q) >= target : longKey(q) > target);
    }

    private double key(int p) {
      double d = ((Float8Vector) v).get(p);
      return ascending ? d : -d;
    }

    private long longKey(int p) {
      long l = ((BigIntVector) v).get(p);
      return ascending ? l : -l;
    }

    private static long saturatedSub(long a, long b) {
      long r = a - b;
      return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long saturatedAdd(long a, long b) {
      long r = a + b;
      return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The first position in [lo, hi) where {@code test} holds (it holds from some position on), or hi. */
    private static int firstAfter(int lo, int hi, java.util.function.IntPredicate test) {
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (test.test(mid)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }
}
