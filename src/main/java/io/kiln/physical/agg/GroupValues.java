package io.kiln.physical.agg;

import io.kiln.data.Bytes;
import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One value of a physical kind per group id, read from and written to the engine's vectors of that
 * kind: longs (booleans as 0/1), doubles, or UTF-8 bytes compared unsigned, as every engine
 * comparison of strings is. A group has no value until one is set.
 */
final class GroupValues {
  private final PhysicalKind kind;
  private boolean[] has = new boolean[16];
  private long[] longs;
  private double[] doubles;
  private byte[][] bytes;

  GroupValues(PhysicalKind kind) {
    this.kind = kind;
    switch (kind) {
      case LONG, BOOLEAN -> longs = new long[16];
      case DOUBLE -> doubles = new double[16];
      default -> bytes = new byte[16][];
    }
  }

  PhysicalKind kind() {
    return kind;
  }

  void ensure(int groups) {
    if (has.length >= groups) {
      return;
    }
    int size = Math.max(groups, has.length * 2);
    has = Arrays.copyOf(has, size);
    if (longs != null) {
      longs = Arrays.copyOf(longs, size);
    } else if (doubles != null) {
      doubles = Arrays.copyOf(doubles, size);
    } else {
      bytes = Arrays.copyOf(bytes, size);
    }
  }

  boolean has(int g) {
    return has[g];
  }

  /** Sets group g to value i of {@code v} (not NULL). */
  void set(int g, ValueVector v, int i) {
    has[g] = true;
    switch (kind) {
      case LONG -> longs[g] = ((BigIntVector) v).get(i);
      case BOOLEAN -> longs[g] = ((BitVector) v).get(i);
      case DOUBLE -> doubles[g] = ((Float8Vector) v).get(i);
      default -> bytes[g] = ((VarCharVector) v).get(i);
    }
  }

  /** Sets group g to group og of {@code other}, of the same kind, which has a value. */
  void set(int g, GroupValues other, int og) {
    has[g] = true;
    if (longs != null) {
      longs[g] = other.longs[og];
    } else if (doubles != null) {
      doubles[g] = other.doubles[og];
    } else {
      bytes[g] = other.bytes[og];
    }
  }

  /** Value i of {@code v} (not NULL) compared with group g's value (which the group has). */
  int compare(ValueVector v, int i, int g) {
    switch (kind) {
      case LONG:
        return Long.compare(((BigIntVector) v).get(i), longs[g]);
      case BOOLEAN:
        return Long.compare(((BitVector) v).get(i), longs[g]);
      case DOUBLE:
        return Double.compare(((Float8Vector) v).get(i), doubles[g]);
      default:
        return Bytes.compare((VarCharVector) v, i, bytes[g]);
    }
  }

  /** Group og of {@code other} compared with group g's value here (both have one). */
  int compare(GroupValues other, int og, int g) {
    if (longs != null) {
      return Long.compare(other.longs[og], longs[g]);
    }
    if (doubles != null) {
      return Double.compare(other.doubles[og], doubles[g]);
    }
    return Arrays.compareUnsigned(other.bytes[og], bytes[g]);
  }

  /** Writes groups {@code 0..groups)} into {@code v}, a new vector of this kind with room for them; NULL where a group has no value. */
  ValueVector writeTo(ValueVector v, int groups) {
    for (int g = 0; g < groups; g++) {
      if (!has[g]) {
        continue;
      }
      switch (kind) {
        case LONG -> ((BigIntVector) v).set(g, longs[g]);
        case BOOLEAN -> ((BitVector) v).set(g, (int) longs[g]);
        case DOUBLE -> ((Float8Vector) v).set(g, doubles[g]);
        default -> ((VarCharVector) v).setSafe(g, bytes[g]);
      }
    }
    v.setValueCount(groups);
    return v;
  }
}
