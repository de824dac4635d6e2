package io.kiln.physical.window;

import io.kiln.data.Batch;
import io.kiln.physical.sink.RowComparator;
import java.util.Arrays;

/**
 * A window node's rows in their window order (partition keys, then order keys) and, for each row
 * at sorted position p, the bounds of its partition and of its peer group (the rows of its
 * partition with equal order keys), as half-open position ranges. Every function of the node reads
 * these; they are computed once per window spec.
 */
final class SortedPartitions {
  /** {@code order[p]}: the input row at sorted position p. */
  final int[] order;
  final int[] partitionStart;
  final int[] partitionEnd;
  final int[] peerStart;
  final int[] peerEnd;

  private SortedPartitions(int[] order) {
    int n = order.length;
    this.order = order;
    partitionStart = new int[n];
    partitionEnd = new int[n];
    peerStart = new int[n];
    peerEnd = new int[n];
  }

  /**
   * Sorts the rows of {@code keys} (partition key columns first, {@code partitionKeys} of them,
   * then order key columns with their directions).
   */
  static SortedPartitions of(Batch keys, int partitionKeys, boolean[] ascending, boolean[] nullsFirst) {
    int n = keys.rowCount();
    int k = keys.columnCount();
    int[] all = new int[k];
    for (int i = 0; i < k; i++) {
      all[i] = i;
    }
    RowComparator peers = new RowComparator(keys, all, ascending, nullsFirst);
    // A stable sort: rows equal in every key keep their input order.
    SortedPartitions s = new SortedPartitions(StableRowSort.sort(n, peers));
    RowComparator partitions = new RowComparator(keys, Arrays.copyOfRange(all, 0, partitionKeys), ascending,
        nullsFirst);
    int partStart = 0;
    int peerStart = 0;
    for (int p = 1; p <= n; p++) {
      boolean newPartition = p == n || partitions.compareRows(s.order[p - 1], s.order[p]) != 0;
      boolean newPeers = newPartition || peers.compareRows(s.order[p - 1], s.order[p]) != 0;
      if (newPeers) {
        Arrays.fill(s.peerStart, peerStart, p, peerStart);
        Arrays.fill(s.peerEnd, peerStart, p, p);
        peerStart = p;
      }
      if (newPartition) {
        Arrays.fill(s.partitionStart, partStart, p, partStart);
        Arrays.fill(s.partitionEnd, partStart, p, p);
        partStart = p;
      }
    }
    return s;
  }

  int rows() {
    return order.length;
  }
}
