package io.kiln.datasource.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Sets validity bits, and moves densely decoded values to their rows once NULLs are known. Values
 * are decoded without gaps into rows {@code at .. at+m-1}; walking backwards from the last row, each
 * present row takes the last value not yet placed, which never overwrites a value still to move.
 */
final class NullSpreader {
  private NullSpreader() {}

  /** Marks rows {@code at .. at+count-1} present. */
  static void markPresent(ValueVector out, int at, int count) {
    ArrowBuf validity = out.getValidityBuffer();
    int i = at;
    int end = at + count;
    for (; i < end && (i & 7) != 0; i++) {
      BitVectorHelper.setBit(validity, i);
    }
    int wholeBytes = (end - i) >>> 3;
    if (wholeBytes > 0) {
      validity.setOne(i >>> 3, wholeBytes);
      i += wholeBytes << 3;
    }
    for (; i < end; i++) {
      BitVectorHelper.setBit(validity, i);
    }
  }

  /**
   * Rows {@code at .. at+count-1} have definition levels {@code defs[0..count)}; the {@code present}
   * rows whose level is {@code maxDef} have their values in rows {@code at .. at+present-1}.
   */
  static void spread(ValueVector out, int at, int[] defs, int count, int present, int maxDef) {
    ArrowBuf validity = out.getValidityBuffer();
    for (int i = 0; i < count; i++) {
      BitVectorHelper.setValidityBit(validity, at + i, defs[i] == maxDef ? 1 : 0);
    }
    if (out instanceof VarCharVector) {
      spreadOffsets(((VarCharVector) out).getOffsetBuffer(), at, defs, count, present, maxDef);
    } else if (out instanceof BitVector) {
      spreadBits(((BitVector) out).getDataBuffer(), at, defs, count, present, maxDef);
    } else {
      spreadLongs(((BaseFixedWidthVector) out).getDataBuffer(), at, defs, count, present, maxDef);
    }
  }

  /** 8-byte values (BIGINT and DOUBLE vectors); NULL rows get 0. */
  private static void spreadLongs(ArrowBuf data, int at, int[] defs, int count, int present, int maxDef) {
    int j = present - 1;
    for (int i = count - 1; i >= 0 && i > j; i--) {
      long target = (long) (at + i) << 3;
      if (defs[i] == maxDef) {
        data.setLong(target, data.getLong((long) (at + j--) << 3));
      } else {
        data.setLong(target, 0L);
      }
    }
  }

  private static void spreadBits(ArrowBuf data, int at, int[] defs, int count, int present, int maxDef) {
    int j = present - 1;
    for (int i = count - 1; i >= 0 && i > j; i--) {
      int v = defs[i] == maxDef ? BitVectorHelper.get(data, at + j--) : 0;
      BitVectorHelper.setValidityBit(data, at + i, v);
    }
  }

  /**
   * Strings: the bytes stay where they are; only the offsets move. A present row takes the next
   * dense value's end offset; a NULL row ends where the following row starts (zero length).
   */
  private static void spreadOffsets(ArrowBuf offsets, int at, int[] defs, int count, int present, int maxDef) {
    int j = present; // dense end offsets of values are at offsets[at + 1 .. at + present]
    for (int i = count - 1; i >= 0 && i + 1 > j; i--) {
      if (defs[i] == maxDef) {
        offsets.setInt(4L * (at + i + 1), offsets.getInt(4L * (at + j--)));
      } else {
        // A NULL row's end is the start of the next present row, i.e. the end of dense value j-1.
        offsets.setInt(4L * (at + i + 1), offsets.getInt(4L * (at + j)));
      }
    }
  }
}
