package io.kiln.datasource.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Keeps only some rows of a decoded vector, in place: row {@code rows[i]} moves to row {@code i}.
 * Rows are increasing, so every move goes to a lower position and never overwrites a row still to
 * move. Handles the vectors the scan produces: 8-byte values, bits and strings.
 */
final class VectorCompactor {
  private VectorCompactor() {}

  static void compact(ValueVector v, int[] rows, int count) {
    ArrowBuf validity = v.getValidityBuffer();
    if (v instanceof VarCharVector) {
      compactStrings((VarCharVector) v, rows, count);
    } else if (v instanceof BitVector) {
      ArrowBuf data = ((BitVector) v).getDataBuffer();
      for (int i = 0; i < count; i++) {
        BitVectorHelper.setValidityBit(data, i, BitVectorHelper.get(data, rows[i]));
      }
    } else {
      ArrowBuf data = ((BaseFixedWidthVector) v).getDataBuffer();
      for (int i = 0; i < count; i++) {
        data.setLong((long) i << 3, data.getLong((long) rows[i] << 3));
      }
    }
    for (int i = 0; i < count; i++) {
      BitVectorHelper.setValidityBit(validity, i, BitVectorHelper.get(validity, rows[i]));
    }
    v.setValueCount(count);
  }

  private static void compactStrings(VarCharVector v, int[] rows, int count) {
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    int end = 0;
    for (int i = 0; i < count; i++) {
      int from = offsets.getInt(4L * rows[i]);
      int len = offsets.getInt(4L * rows[i] + 4) - from;
      if (from != end) {
        data.setBytes(end, data, from, len); // moves to lower addresses: safe for overlapping ranges
      }
      end += len;
      offsets.setInt(4L * (i + 1), end);
    }
    v.setLastSet(count - 1);
  }
}
