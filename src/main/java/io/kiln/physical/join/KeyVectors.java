package io.kiln.physical.join;

import io.kiln.data.Bytes;
import io.kiln.data.KeyHash;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** Hashing and equality of join keys across two sets of key vectors. */
final class KeyVectors {
  private KeyVectors() {}

  static long hash(ValueVector[] keys, int row) {
    long h = 0;
    for (ValueVector v : keys) {
      h = KeyHash.combine(h, KeyHash.of(v, row));
    }
    return h;
  }

  /** The key hash of each of the first {@code n} rows: {@link #hash} for every row, a key at a time. */
  static long[] hashes(ValueVector[] keys, int n) {
    long[] h = new long[n];
    hashRange(keys, 0, n, h);
    return h;
  }

  /** Sets {@code h[i]} to {@link #hash} of row {@code i} for the rows {@code from} (inclusive) to {@code to}. */
  static void hashRange(ValueVector[] keys, int from, int to, long[] h) {
    KeyHash.rows(keys, from, to, h);
  }

  /** Whether some row may have a NULL in a key that is not null-safe (else {@link #hasNullKey} is false for all). */
  static boolean mayHaveNullKey(ValueVector[] keys, boolean[] nullSafe) {
    for (int k = 0; k < keys.length; k++) {
      if (!nullSafe[k] && keys[k].getNullCount() > 0) {
        return true;
      }
    }
    return false;
  }

  /** True if some key that is not null-safe is NULL: such a row can never match. */
  static boolean hasNullKey(ValueVector[] keys, boolean[] nullSafe, int row) {
    for (int k = 0; k < keys.length; k++) {
      if (!nullSafe[k] && keys[k].isNull(row)) {
        return true;
      }
    }
    return false;
  }

  static boolean equal(ValueVector[] a, int i, ValueVector[] b, int j) {
    for (int k = 0; k < a.length; k++) {
      ValueVector x = a[k];
      ValueVector y = b[k];
      boolean xn = x.isNull(i);
      boolean yn = y.isNull(j);
      if (xn || yn) {
        if (xn && yn) {
          continue; // only reachable for null-safe keys
        }
        return false;
      }
      boolean same;
      if (x instanceof BigIntVector) {
        same = ((BigIntVector) x).get(i) == ((BigIntVector) y).get(j);
      } else if (x instanceof Float8Vector) {
        same = Double.compare(((Float8Vector) x).get(i), ((Float8Vector) y).get(j)) == 0;
      } else if (x instanceof VarCharVector) {
        same = Bytes.equals((VarCharVector) x, i, (VarCharVector) y, j);
      } else {
        same = ((BitVector) x).get(i) == ((BitVector) y).get(j);
      }
      if (!same) {
        return false;
      }
    }
    return true;
  }
}
