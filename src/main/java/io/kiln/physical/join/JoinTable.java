package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ParallelParts;
import io.kiln.physical.Batches;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.apache.arrow.vector.ValueVector;

/**
 * The build side of a hash join: all build rows in one batch, their key vectors, and hash chains
 * from key hash to rows. With no keys every row is in one chain (a nested-loop join). Rows that
 * can never match (a NULL in a key that is not null-safe) are left out of the chains.
 */
final class JoinTable implements AutoCloseable {
  final Batch rows;
  final ValueVector[] keys;
  final boolean[] nullSafe;
  final int[] heads;
  final int[] next;
  final long[] hashes;
  final int mask;
  /** No two rows in the chains have equal keys: a probe row matches at most one row. */
  final boolean uniqueKeys;
  /** Rows matched by some probe row, for RIGHT and FULL joins (races only ever write true). */
  final boolean[] matched;
  /** Below this many rows one thread chains the table: handing out parts costs more than it saves. */
  private static final int PARALLEL_MIN_ROWS = 65_536;

  JoinTable(Batch rows, ValueVector[] keys, boolean[] nullSafe, boolean trackMatches) {
    this(rows, keys, nullSafe, trackMatches, KeyVectors.hashes(keys, rows.rowCount()), null, 0);
  }

  /**
   * With each row's key hash already computed ({@link KeyVectors#hash} of its keys, e.g. by
   * generated code). Large tables are chained by {@code helpers} threads of {@code pool} besides
   * the caller, each owning a range of buckets.
   */
  JoinTable(Batch rows, ValueVector[] keys, boolean[] nullSafe, boolean trackMatches, long[] hashes,
      Executor pool, int helpers) {
    this.rows = rows;
    this.keys = keys;
    this.nullSafe = nullSafe;
    int n = rows.rowCount();
    int size = Integer.highestOneBit(Math.max(1, n) * 2 - 1) * 2;
    heads = new int[keys.length == 0 ? 1 : size];
    mask = heads.length - 1;
    next = new int[n];
    if (hashes.length != n) {
      throw new IllegalArgumentException(n + " build rows came with " + hashes.length + " key hashes");
    }
    this.hashes = hashes;
    int parts = n < PARALLEL_MIN_ROWS || keys.length == 0 ? 1 : helpers + 1;
    boolean[] unique = new boolean[parts];
    ParallelParts.run(pool, helpers, parts, p -> unique[p] = chain(
        (int) ((long) heads.length * p / parts), (int) ((long) heads.length * (p + 1) / parts)));
    boolean all = true;
    for (boolean u : unique) {
      all &= u;
    }
    uniqueKeys = all;
    matched = trackMatches ? new boolean[n] : null;
  }

  /**
   * Links every row whose bucket is in [from, to) into its chain, in row order, and tells whether
   * their keys are distinct. Each range is written by one thread only.
   */
  private boolean chain(int from, int to) {
    Arrays.fill(heads, from, to, -1);
    boolean nullKeys = KeyVectors.mayHaveNullKey(keys, nullSafe);
    boolean unique = true;
    for (int i = next.length - 1; i >= 0; i--) {
      long h = hashes[i];
      int b = ProbeTable.bucket(h, mask);
      if (b < from || b >= to || nullKeys && KeyVectors.hasNullKey(keys, nullSafe, i)) {
        continue;
      }
      // Only until the first duplicate: after that the answer is known.
      for (int j = heads[b]; unique && j >= 0; j = next[j]) {
        unique = hashes[j] != h || !KeyVectors.equal(keys, i, keys, j);
      }
      next[i] = heads[b];
      heads[b] = i;
    }
    return unique;
  }

  int size() {
    return rows.rowCount();
  }

  /** First build row that may match a probe key hash, or -1. */
  int first(long h) {
    int j = heads[ProbeTable.bucket(h, mask)];
    while (j >= 0 && hashes[j] != h) {
      j = next[j];
    }
    return j;
  }

  /** Next build row after {@code j} with the same hash, or -1. */
  int next(int j, long h) {
    int k = next[j];
    while (k >= 0 && hashes[k] != h) {
      k = next[k];
    }
    return k;
  }

  @Override
  public void close() {
    Batches.closeAll(keys);
    rows.close();
  }
}
