package io.kiln.physical.expr;

import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;

/** Whole-vector helpers shared by operators: sharing, gathering rows, reading values as engine objects. */
public final class VectorOps {
  private VectorOps() {}

  /** Marks rows 0..n-1 of a fixed-width vector valid in one pass over its validity bytes. */
  public static void markValid(org.apache.arrow.vector.BaseFixedWidthVector v, int n) {
    if (n > 0) {
      v.getValidityBuffer().setOne(0, (n + 7) / 8);
    }
  }

  /** A second owner of the same buffers (reference counted, no copy). */
  public static ValueVector share(ValueVector v, BufferAllocator allocator) {
    TransferPair tp = v.getTransferPair(allocator);
    tp.splitAndTransfer(0, v.getValueCount());
    return tp.getTo();
  }

  /** New vector with rows {@code rows[0..count)} of {@code v}; an index of -1 gives NULL. */
  public static ValueVector gather(ValueVector v, int[] rows, int count, BufferAllocator allocator) {
    if (v instanceof BigIntVector) {
      BigIntVector src = (BigIntVector) v;
      BigIntVector out = new BigIntVector(v.getName(), allocator);
      out.allocateNew(Math.max(count, 1));
      if (src.getNullCount() == 0 && allSet(rows, count)) {
        org.apache.arrow.memory.ArrowBuf from = src.getDataBuffer();
        org.apache.arrow.memory.ArrowBuf to = out.getDataBuffer();
        for (int i = 0; i < count; i++) {
          to.setLong((long) i << 3, from.getLong((long) rows[i] << 3));
        }
        markValid(out, count);
        out.setValueCount(count);
        return out;
      }
      for (int i = 0; i < count; i++) {
        int r = rows[i];
        if (r >= 0 && !src.isNull(r)) {
          out.set(i, src.get(r));
        }
      }
      out.setValueCount(count);
      return out;
    }
    if (v instanceof Float8Vector) {
      Float8Vector src = (Float8Vector) v;
      Float8Vector out = new Float8Vector(v.getName(), allocator);
      out.allocateNew(Math.max(count, 1));
      for (int i = 0; i < count; i++) {
        int r = rows[i];
        if (r >= 0 && !src.isNull(r)) {
          out.set(i, src.get(r));
        }
      }
      out.setValueCount(count);
      return out;
    }
    if (v instanceof BitVector) {
      BitVector src = (BitVector) v;
      BitVector out = new BitVector(v.getName(), allocator);
      out.allocateNew(Math.max(count, 1));
      for (int i = 0; i < count; i++) {
        int r = rows[i];
        if (r >= 0 && !src.isNull(r)) {
          out.set(i, src.get(r));
        }
      }
      out.setValueCount(count);
      return out;
    }
    if (!(v instanceof VarCharVector)) {
      return gatherAnyType(v, rows, count, allocator);
    }
    VarCharVector src = (VarCharVector) v;
    VarCharVector out = new VarCharVector(v.getName(), allocator);
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      int r = rows[i];
      if (r >= 0 && !src.isNull(r)) {
        bytes += src.getEndOffset(r) - src.getStartOffset(r);
      }
    }
    out.allocateNew(Math.max(bytes, 1), Math.max(count, 1));
    for (int i = 0; i < count; i++) {
      int r = rows[i];
      if (r >= 0 && !src.isNull(r)) {
        int start = src.getStartOffset(r);
        out.set(i, 1, start, src.getEndOffset(r), src.getDataBuffer());
      }
    }
    out.setValueCount(count);
    return out;
  }

  /**
   * {@link #gather} of a vector outside the engine's four kinds: an aggregation state's list of
   * DISTINCT values on its way through an exchange.
   */
  private static ValueVector gatherAnyType(ValueVector v, int[] rows, int count, BufferAllocator allocator) {
    ValueVector out = v.getField().createVector(allocator);
    try {
      out.allocateNew();
      for (int i = 0; i < count; i++) {
        if (rows[i] < 0) {
          throw new IllegalArgumentException("no NULL row for a gathered " + v.getField());
        }
        out.copyFromSafe(rows[i], i, v);
      }
      out.setValueCount(count);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static boolean allSet(int[] rows, int count) {
    for (int i = 0; i < count; i++) {
      if (rows[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** All-NULL vector of a kind. */
  public static ValueVector nulls(DataType type, int count, BufferAllocator allocator) {
    ValueVector v = Vectors.allocate(type, "null", allocator, count);
    v.setValueCount(count);
    return v;
  }

  /** One value as its engine object: Long, Double, Boolean, String; null for NULL. */
  public static Object read(ValueVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    if (v instanceof BigIntVector) {
      return ((BigIntVector) v).get(row);
    }
    if (v instanceof Float8Vector) {
      return ((Float8Vector) v).get(row);
    }
    if (v instanceof BitVector) {
      return ((BitVector) v).get(row) != 0;
    }
    return new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
  }

  /** Writes an engine object (Long, Double, Boolean, String, or null). */
  public static void write(ValueVector v, int row, Object value) {
    if (value == null) {
      Vectors.setNull(v, row);
    } else if (v instanceof BigIntVector) {
      ((BigIntVector) v).setSafe(row, (Long) value);
    } else if (v instanceof Float8Vector) {
      ((Float8Vector) v).setSafe(row, (Double) value);
    } else if (v instanceof BitVector) {
      ((BitVector) v).setSafe(row, ((Boolean) value) ? 1 : 0);
    } else {
      ((VarCharVector) v).setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
    }
  }
}
