package io.kiln.data;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The hash of a key: one function per physical kind, folded over the key's columns with
 * {@link #combine}. Grouping, the join build and generated code (which calls these very methods)
 * all hash with it, so equal keys hash alike everywhere.
 */
public final class KeyHash {
  /** The hash of a NULL value (NULL is a value when grouping and for null-safe join keys). */
  public static final long NULL = 0x5bd1e995L;

  private KeyHash() {}

  public static long combine(long hash, long valueHash) {
    return hash * 31 + valueHash;
  }

  public static long ofLong(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  /** 0.0 and -0.0 are equal values, so they hash alike. */
  public static long ofDouble(double d) {
    return ofLong(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
  }

  public static long ofBoolean(boolean b) {
    return ofLong(b ? 1L : 0L);
  }

  /** The hash of the {@code length} bytes of a string at an off-heap address. */
  public static long ofBytes(long address, int length) {
    return Bytes.hash(address, length);
  }

  /** The same hash as {@link #ofBytes(long, int)} over the same bytes on the heap. */
  public static long ofBytes(byte[] b) {
    return Bytes.hash(b);
  }

  /**
   * {@link #ofBytes(long, int)} of a string whose {@link Bytes#pack} is already known (generated
   * code packs a short string key once, to hash and to match it).
   */
  public static long ofBytes(long packed, long address, int length) {
    return packed != Bytes.NOT_PACKED ? Bytes.hashPacked(packed) : Bytes.hash(address, length);
  }

  /** The hash of one row's value of a key vector. */
  public static long of(ValueVector v, int row) {
    if (v.isNull(row)) {
      return NULL;
    }
    if (v instanceof BigIntVector) {
      return ofLong(((BigIntVector) v).get(row));
    }
    if (v instanceof Float8Vector) {
      return ofDouble(((Float8Vector) v).get(row));
    }
    if (v instanceof BitVector) {
      return ofBoolean(((BitVector) v).get(row) != 0);
    }
    return Bytes.hash((VarCharVector) v, row);
  }

  /**
   * Sets {@code h[i]} to the key hash of row {@code i} (the keys' hashes folded with {@link
   * #combine}) for the rows {@code from} (inclusive) to {@code to}: the hash joins build and probe
   * with, and exchanges partition by, so it depends on the values alone.
   */
  public static void rows(ValueVector[] keys, int from, int to, long[] h) {
    java.util.Arrays.fill(h, from, to, 0L);
    for (ValueVector v : keys) {
      if (v instanceof BigIntVector && v.getNullCount() == 0) {
        // The common key: read by address, no NULL tests.
        long data = v.getDataBuffer().memoryAddress();
        for (int i = from; i < to; i++) {
          h[i] = combine(h[i], ofLong(org.apache.arrow.memory.util.MemoryUtil.getLong(data + ((long) i << 3))));
        }
      } else {
        for (int i = from; i < to; i++) {
          h[i] = combine(h[i], of(v, i));
        }
      }
    }
  }
}
