package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.physical.Batches;
import java.util.Arrays;
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

  JoinTable(Batch rows, ValueVector[] keys, boolean[] nullSafe, boolean trackMatches) {
    this(rows, keys, nullSafe, trackMatches, KeyVectors.hashes(keys, rows.rowCount()));
  }

  /** With each row's key hash already computed ({@link KeyVectors#hash} of its keys, e.g. by generated code). */
  JoinTable(Batch rows, ValueVector[] keys, boolean[] nullSafe, boolean trackMatches, long[] hashes) {
    this.rows = rows;
    this.keys = keys;
    this.nullSafe = nullSafe;
    int n = rows.rowCount();
    int size = Integer.highestOneBit(Math.max(1, n) * 2 - 1) * 2;
    heads = new int[keys.length == 0 ? 1 : size];
    mask = heads.length - 1;
    Arrays.fill(heads, -1);
    next = new int[n];
    if (hashes.length != n) {
      throw new IllegalArgumentException(n + " build rows came with " + hashes.length + " key hashes");
    }
    this.hashes = hashes;
    boolean nullKeys = KeyVectors.mayHaveNullKey(keys, nullSafe);
    boolean unique = true;
    for (int i = n - 1; i >= 0; i--) {
      if (nullKeys && KeyVectors.hasNullKey(keys, nullSafe, i)) {
        continue;
      }
      long h = hashes[i];
      int b = ProbeTable.bucket(h, mask);
      // Only until the first duplicate: after that the answer is known.
      for (int j = heads[b]; unique && j >= 0; j = next[j]) {
        unique = hashes[j] != h || !KeyVectors.equal(keys, i, keys, j);
      }
      next[i] = heads[b];
      heads[b] = i;
    }
    uniqueKeys = unique;
    matched = trackMatches ? new boolean[n] : null;
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
