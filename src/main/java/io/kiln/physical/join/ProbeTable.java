package io.kiln.physical.join;

import java.util.function.Supplier;
import org.apache.arrow.vector.ValueVector;

/**
 * A built hash-join table as generated probe code reads it: the hash chains as arrays, the build
 * keys and build columns as Arrow vectors (read by address, like the probe side's columns), and
 * what the join's NULL rules need to know about the build side.
 */
public final class ProbeTable {
  private final JoinTable table;
  private final boolean buildHasNullInKey;

  ProbeTable(JoinTable table, boolean buildHasNullInKey) {
    this.table = table;
    this.buildHasNullInKey = buildHasNullInKey;
  }

  /** The table of a prepared join (generated classes are instantiated after their joins' prepare). */
  public static ProbeTable built(Supplier<ProbeTable> join) {
    ProbeTable t = join.get();
    if (t == null) {
      throw new IllegalStateException("a fused join probe was instantiated before its table was built");
    }
    return t;
  }

  /** The chain a key hash starts in; the build uses it too, so both sides agree by construction. */
  public static int bucket(long hash, int mask) {
    return (int) (hash ^ (hash >>> 29)) & mask;
  }

  /** First row of each bucket's chain, or -1. */
  public int[] heads() {
    return table.heads;
  }

  /** The next row of a row's chain, or -1. */
  public int[] next() {
    return table.next;
  }

  /** Each row's key hash. */
  public long[] hashes() {
    return table.hashes;
  }

  public int mask() {
    return table.mask;
  }

  /** The build key values, one vector per key (NULL only for null-safe keys among chained rows). */
  public ValueVector key(int k) {
    return table.keys[k];
  }

  /** Build column {@code c}. */
  public ValueVector column(int c) {
    return table.rows.column(c);
  }

  public int rowCount() {
    return table.size();
  }

  /** No two chained rows have equal keys. */
  public boolean uniqueKeys() {
    return table.uniqueKeys;
  }

  /** Rows some probe row matched, for RIGHT and FULL joins' unmatched rows (null otherwise). */
  public boolean[] matched() {
    return table.matched;
  }

  /** For IN's NULL rules: some build row's IN value is NULL. */
  public boolean buildHasNullInKey() {
    return buildHasNullInKey;
  }
}
