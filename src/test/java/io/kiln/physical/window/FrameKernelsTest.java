package io.kiln.physical.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.data.Batch;
import io.kiln.logical.Literal;
import io.kiln.logical.WindowFrame;
import io.kiln.logical.WindowFrame.Bound;
import io.kiln.logical.WindowFrame.BoundKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window kernels against the definitions, on random data: the sort is stable and ordered,
 * every frame is the set of rows SQL says (checked row by row against a scan of the partition),
 * and segment-tree and running answers equal a re-aggregation of each frame. The allocator fails
 * the test if a kernel leaks.
 */
class FrameKernelsTest {
  private final Random random = new Random(20261207);
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  /** A BIGINT column of n values in [0, range), NULL where {@code nulls} in 1 rows. */
  private BigIntVector longs(int n, int range, int nulls) {
    BigIntVector v = new BigIntVector("v", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      if (nulls > 0 && random.nextInt(nulls) == 0) {
        v.setNull(i);
      } else {
        v.set(i, random.nextInt(range));
      }
    }
    v.setValueCount(n);
    return v;
  }

  private static Long value(BigIntVector v, int i) {
    return v.isNull(i) ? null : v.get(i);
  }

  @Test
  void sortIsStableAndOrdered() {
    for (int n : new int[] {0, 1, 2, 23, 24, 25, 100, 1000, 5000}) {
      try (Batch keys = new Batch(new ValueVector[] {longs(n, 7, 5), longs(n, 5, 4)}, n)) {
        boolean[] asc = {true, false};
        boolean[] nullsFirst = {false, true};
        SortedPartitions rows = SortedPartitions.of(keys, 1, asc, nullsFirst);
        int[] order = rows.order;
        assertEquals(n, Arrays.stream(order).distinct().count(), "a permutation");
        io.kiln.physical.sink.RowComparator by = new io.kiln.physical.sink.RowComparator(keys, new int[] {0, 1}, asc,
            nullsFirst);
        for (int p = 1; p < n; p++) {
          int c = by.compareRows(order[p - 1], order[p]);
          assertEquals(true, c < 0 || (c == 0 && order[p - 1] < order[p]), "ordered and stable at " + p);
        }
        for (int p = 0; p < n; p++) {
          // Partition bounds: the rows with this row's first key; peers: with both keys.
          int lo = rows.partitionStart[p];
          int hi = rows.partitionEnd[p];
          for (int q = 0; q < n; q++) {
            boolean samePartition = by.compareRows(order[q], order[p]) == 0
                || java.util.Objects.equals(value((BigIntVector) keys.column(0), order[q]),
                    value((BigIntVector) keys.column(0), order[p]));
            assertEquals(samePartition, q >= lo && q < hi, "partition of " + p + " holds " + q);
            boolean peer = by.compareRows(order[q], order[p]) == 0;
            assertEquals(peer, q >= rows.peerStart[p] && q < rows.peerEnd[p], "peers of " + p + " hold " + q);
          }
        }
      }
    }
  }

  private static Bound bound(BoundKind kind, long offset) {
    return kind == BoundKind.PRECEDING || kind == BoundKind.FOLLOWING ? new Bound(kind, Literal.ofLong(offset))
        : Bound.of(kind);
  }

  /** Random frames whose start never lies after their end. */
  private List<WindowFrame> frames() {
    BoundKind[] kinds = BoundKind.values();
    List<WindowFrame> out = new ArrayList<>();
    while (out.size() < 40) {
      BoundKind s = kinds[random.nextInt(kinds.length - 1)];
      BoundKind e = kinds[1 + random.nextInt(kinds.length - 1)];
      long so = random.nextInt(4);
      long eo = random.nextInt(4);
      double sp = s == BoundKind.UNBOUNDED_PRECEDING ? -1e9 : s == BoundKind.PRECEDING ? -so
          : s == BoundKind.FOLLOWING ? so : 0;
      double ep = e == BoundKind.UNBOUNDED_FOLLOWING ? 1e9 : e == BoundKind.PRECEDING ? -eo
          : e == BoundKind.FOLLOWING ? eo : 0;
      if (sp <= ep) {
        out.add(new WindowFrame(random.nextBoolean() ? WindowFrame.Units.ROWS : WindowFrame.Units.RANGE,
            bound(s, so), bound(e, eo)));
      }
    }
    return out;
  }

  /** Whether sorted position q is in the frame of p, straight from the definition. */
  private static boolean inFrame(WindowFrame f, int p, int q, SortedPartitions rows, BigIntVector key) {
    if (q < rows.partitionStart[p] || q >= rows.partitionEnd[p]) {
      return false;
    }
    return after(f.start(), true, p, q, rows, f.units(), key) && after(f.end(), false, p, q, rows, f.units(), key);
  }

  /** For a start bound: q is at or after it; for an end bound: q is at or before it. */
  private static boolean after(Bound b, boolean isStart, int p, int q, SortedPartitions rows, WindowFrame.Units units,
      BigIntVector key) {
    if (b.kind() == BoundKind.UNBOUNDED_PRECEDING || b.kind() == BoundKind.UNBOUNDED_FOLLOWING) {
      return true;
    }
    long off = b.offset() == null ? 0 : (Long) b.offset().value();
    long signed = b.kind() == BoundKind.PRECEDING ? -off : off;
    if (units == WindowFrame.Units.ROWS) {
      return isStart ? q >= p + signed : q <= p + signed;
    }
    if (b.kind() == BoundKind.CURRENT_ROW || key.isNull(p)) {
      // Peers (a NULL key's frame is its NULL peers).
      return isStart ? q >= rows.peerStart[p] : q < rows.peerEnd[p];
    }
    if (key.isNull(q)) {
      // NULLs sort last here: beyond every value, so after any start and after any end with an offset.
      return isStart;
    }
    long target = key.get(p) + signed;
    return isStart ? key.get(q) >= target : key.get(q) <= target;
  }

  @Test
  void framesAndAggregatesMatchTheirDefinitions() {
    int n = 300;
    try (Batch keys = new Batch(new ValueVector[] {longs(n, 4, 9), longs(n, 40, 8)}, n)) {
      boolean[] asc = {true, true};
      boolean[] nullsFirst = {true, false};
      SortedPartitions rows = SortedPartitions.of(keys, 1, asc, nullsFirst);
      try (BigIntVector key = (BigIntVector) io.kiln.physical.expr.VectorOps.gather(keys.column(1), rows.order, n,
              allocator);
          BigIntVector values = longs(n, 1000, 6);
          Float8Vector doubles = new Float8Vector("d", allocator)) {
        doubles.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (values.isNull(i)) {
            doubles.setNull(i);
          } else {
            doubles.set(i, values.get(i) * 0.125);
          }
        }
        doubles.setValueCount(n);
        for (WindowFrame f : frames()) {
          FrameBounds bounds = FrameBounds.of(f, rows, key, true);
          ExtremeTree min = new ExtremeTree(values, false);
          MomentTree moments = new MomentTree(doubles);
          int[] runningMax = bounds.running ? ExtremeTree.running(values, true, bounds) : null;
          for (int p = 0; p < n; p++) {
            Long expectedMin = null;
            Long expectedMax = null;
            long count = 0;
            double sum = 0;
            for (int q = 0; q < n; q++) {
              boolean in = inFrame(f, p, q, rows, key);
              assertEquals(in, q >= bounds.start[p] && q < bounds.end[p], f + ": row " + p + ", position " + q);
              if (in && !values.isNull(q)) {
                long v = values.get(q);
                expectedMin = expectedMin == null ? v : Math.min(expectedMin, v);
                expectedMax = expectedMax == null ? v : Math.max(expectedMax, v);
                count++;
                sum += doubles.get(q);
              }
            }
            int at = min.query(bounds.start[p], bounds.end[p]);
            assertEquals(expectedMin, at < 0 ? null : values.get(at), f + ": min at row " + p);
            if (runningMax != null) {
              assertEquals(expectedMax, runningMax[p] < 0 ? null : values.get(runningMax[p]), f + ": max at " + p);
            }
            moments.query(bounds.start[p], bounds.end[p]);
            assertEquals(count, moments.qCount, f + ": count at row " + p);
            assertEquals(sum, moments.qSum, 1e-9, f + ": sum at row " + p);
          }
        }
      }
    }
  }

  @Test
  void ntileSplitsAsEvenlyAsPossibleLargestFirst() {
    for (int size = 1; size <= 30; size++) {
      for (long buckets = 1; buckets <= 12; buckets++) {
        long[] perBucket = new long[(int) buckets + 1];
        long previous = 1;
        for (int i = 0; i < size; i++) {
          long b = RankingFunctions.ntile(i, size, buckets);
          assertEquals(true, b >= previous && b <= buckets, "bucket " + b + " of row " + i);
          perBucket[(int) b]++;
          previous = b;
        }
        long used = Math.min(size, buckets);
        for (int b = 1; b <= used; b++) {
          long expected = size / buckets + (b <= size % buckets ? 1 : 0);
          assertEquals(expected, perBucket[b], size + " rows in " + buckets + " buckets: bucket " + b);
        }
      }
    }
    assertArrayEquals(new long[] {1, 1, 2, 2, 3}, new long[] {RankingFunctions.ntile(0, 5, 3),
        RankingFunctions.ntile(1, 5, 3), RankingFunctions.ntile(2, 5, 3), RankingFunctions.ntile(3, 5, 3),
        RankingFunctions.ntile(4, 5, 3)});
  }
}
