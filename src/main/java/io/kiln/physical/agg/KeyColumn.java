package io.kiln.physical.agg;

import io.kiln.data.Bytes;
import io.kiln.data.KeyHash;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** One grouping key's values per group id, in a growable array of its physical kind; NULL is a value. */
public final class KeyColumn {
  private final DataType type;
  private final PhysicalKind kind;
  private long[] longs;
  private double[] doubles;
  private byte[][] strings;
  /**
   * Beside each string its {@link Bytes#pack}: a short string is compared as this one long, without
   * loading its byte array; a long one is {@link Bytes#NOT_PACKED} here, so it equals no short one.
   */
  private long[] packed;
  private boolean[] nulls;

  KeyColumn(DataType type, int capacity) {
    this.type = type;
    this.kind = type.kind();
    nulls = new boolean[capacity];
    if (kind == PhysicalKind.DOUBLE) {
      doubles = new double[capacity];
    } else if (kind == PhysicalKind.STRING) {
      strings = new byte[capacity][];
      packed = new long[capacity];
    } else {
      longs = new long[capacity];
    }
  }

  void grow(int capacity) {
    nulls = Arrays.copyOf(nulls, capacity);
    if (doubles != null) {
      doubles = Arrays.copyOf(doubles, capacity);
    } else if (strings != null) {
      strings = Arrays.copyOf(strings, capacity);
      packed = Arrays.copyOf(packed, capacity);
    } else {
      longs = Arrays.copyOf(longs, capacity);
    }
  }

  void set(int group, ValueVector v, int row) {
    if (v.isNull(row)) {
      setNull(group);
      return;
    }
    if (v instanceof BigIntVector) {
      longs[group] = ((BigIntVector) v).get(row);
    } else if (v instanceof Float8Vector) {
      doubles[group] = ((Float8Vector) v).get(row);
    } else if (v instanceof BitVector) {
      longs[group] = ((BitVector) v).get(row);
    } else {
      setString(group, ((VarCharVector) v).get(row));
    }
  }

  private void setString(int group, byte[] b) {
    strings[group] = b;
    packed[group] = Bytes.pack(b);
  }

  boolean matches(int group, ValueVector v, int row) {
    boolean n = v.isNull(row);
    if (n || nulls[group]) {
      return n && nulls[group];
    }
    if (v instanceof BigIntVector) {
      return longs[group] == ((BigIntVector) v).get(row);
    }
    if (v instanceof Float8Vector) {
      return Double.compare(doubles[group], ((Float8Vector) v).get(row)) == 0;
    }
    if (v instanceof BitVector) {
      return longs[group] == ((BitVector) v).get(row);
    }
    VarCharVector s = (VarCharVector) v;
    int start = s.getStartOffset(row);
    long address = s.getDataBuffer().memoryAddress() + start;
    return matchesString(group, Bytes.pack(address, s.getEndOffset(row) - start), address,
        s.getEndOffset(row) - start);
  }

  void setLong(int group, long v) {
    longs[group] = v;
  }

  void setNull(int group) {
    nulls[group] = true;
    if (packed != null) {
      packed[group] = Bytes.NULL_PACKED;
    }
  }

  /**
   * A string group's {@link Bytes#pack}, or {@link Bytes#NULL_PACKED} for its NULL: equal to a
   * key row's packed value (when that is not {@link Bytes#NOT_PACKED}) iff the keys are equal.
   */
  long packed(int group) {
    return packed[group];
  }

  boolean isNull(int group) {
    return nulls[group];
  }

  void set(int group, KeyRow row, int k) {
    if (row.nulls[k]) {
      setNull(group);
      return;
    }
    switch (kind) {
      case DOUBLE:
        doubles[group] = row.doubles[k];
        break;
      case STRING:
        if (row.bytes[k] != null) {
          setString(group, row.bytes[k]);
        } else {
          byte[] b = new byte[row.lengths[k]];
          org.apache.arrow.memory.util.MemoryUtil.copyFromMemory(row.addresses[k], b, 0, b.length);
          setString(group, b);
        }
        break;
      default:
        longs[group] = row.longs[k];
    }
  }

  boolean matches(int group, KeyRow row, int k) {
    boolean n = row.nulls[k];
    if (n || nulls[group]) {
      return n && nulls[group];
    }
    switch (kind) {
      case DOUBLE:
        return Double.compare(doubles[group], row.doubles[k]) == 0;
      case STRING: {
        if (row.bytes[k] != null) {
          return Arrays.equals(strings[group], row.bytes[k]);
        }
        return matchesString(group, row.packed[k], row.addresses[k], row.lengths[k]);
      }
      default:
        return longs[group] == row.longs[k];
    }
  }

  /** Whether a non-null group's string equals the (non-null) slice whose {@link Bytes#pack} is {@code p}. */
  private boolean matchesString(int group, long p, long address, int length) {
    if (p != Bytes.NOT_PACKED) {
      return packed[group] == p;
    }
    return Bytes.equals(address, length, strings[group]);
  }

  /** Hash of a stored group's value, equal to {@link #hash} of the same value in a vector. */
  long hashOf(int group) {
    if (nulls[group]) {
      return KeyHash.NULL;
    }
    switch (kind) {
      case DOUBLE:
        return KeyHash.ofDouble(doubles[group]);
      case STRING:
        return KeyHash.ofBytes(strings[group]);
      default:
        return KeyHash.ofLong(longs[group]);
    }
  }

  /** Copies group {@code from} of another column into group {@code to} of this one. */
  void copyFrom(KeyColumn other, int from, int to) {
    nulls[to] = other.nulls[from];
    if (longs != null) {
      longs[to] = other.longs[from];
    } else if (doubles != null) {
      doubles[to] = other.doubles[from];
    } else {
      strings[to] = other.strings[from];
      packed[to] = other.packed[from];
    }
  }

  boolean sameAs(KeyColumn other, int otherGroup, int group) {
    if (nulls[group] || other.nulls[otherGroup]) {
      return nulls[group] && other.nulls[otherGroup];
    }
    if (longs != null) {
      return longs[group] == other.longs[otherGroup];
    }
    if (doubles != null) {
      return Double.compare(doubles[group], other.doubles[otherGroup]) == 0;
    }
    long p = packed[group];
    if (p != other.packed[otherGroup]) {
      return false;
    }
    return p != Bytes.NOT_PACKED || Arrays.equals(strings[group], other.strings[otherGroup]);
  }

  ValueVector toVector(int count, BufferAllocator allocator) {
    ValueVector v = Vectors.allocate(type, "key", allocator, count);
    for (int g = 0; g < count; g++) {
      if (nulls[g]) {
        continue;
      }
      switch (kind) {
        case LONG:
          ((BigIntVector) v).set(g, longs[g]);
          break;
        case BOOLEAN:
          ((BitVector) v).set(g, (int) longs[g]);
          break;
        case DOUBLE:
          ((Float8Vector) v).set(g, doubles[g]);
          break;
        default:
          ((VarCharVector) v).setSafe(g, strings[g]);
      }
    }
    v.setValueCount(count);
    return v;
  }
}
