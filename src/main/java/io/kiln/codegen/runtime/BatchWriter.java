package io.kiln.codegen.runtime;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Output columns that generated code computes row by row, written straight into Arrow buffers by
 * address. Fixed-width columns are sized for the input batch up front (a segment never emits more
 * rows than it reads); strings grow their data buffer as needed.
 */
public final class BatchWriter {
  private final DataType[] types;
  private final ValueVector[] vectors;
  private final long[] data;
  private final long[] validity;
  private final long[] offsets;
  private final int[] stringEnd;

  public BatchWriter(DataType[] types) {
    this.types = types;
    int n = types.length;
    vectors = new ValueVector[n];
    data = new long[n];
    validity = new long[n];
    offsets = new long[n];
    stringEnd = new int[n];
  }

  /** New vectors with room for {@code rows} rows. */
  public void begin(int rows, BufferAllocator allocator) {
    int capacity = Math.max(rows, 1);
    try {
      for (int c = 0; c < types.length; c++) {
        vectors[c] = Vectors.allocate(types[c], "c" + c, allocator, capacity);
        if (vectors[c] instanceof BaseFixedWidthVector && vectors[c].getValueCapacity() < capacity) {
          ((BaseFixedWidthVector) vectors[c]).allocateNew(capacity);
        }
        if (vectors[c] instanceof VarCharVector) {
          VarCharVector v = (VarCharVector) vectors[c];
          while (v.getValueCapacity() < capacity) {
            v.reallocValidityAndOffsetBuffers();
          }
          offsets[c] = v.getOffsetBuffer().memoryAddress();
          MemoryUtil.putInt(offsets[c], 0);
          stringEnd[c] = 0;
        }
        refresh(c);
      }
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  private void refresh(int c) {
    data[c] = vectors[c].getDataBuffer().memoryAddress();
    validity[c] = vectors[c].getValidityBuffer().memoryAddress();
  }

  private void valid(int c, int row) {
    long a = validity[c] + (row >> 3);
    MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (row & 7))));
  }

  public void putLong(int c, int row, long v) {
    MemoryUtil.putLong(data[c] + ((long) row << 3), v);
    valid(c, row);
  }

  public void putDouble(int c, int row, double v) {
    MemoryUtil.putLong(data[c] + ((long) row << 3), Double.doubleToRawLongBits(v));
    valid(c, row);
  }

  public void putBoolean(int c, int row, boolean v) {
    if (v) {
      long a = data[c] + (row >> 3);
      MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (row & 7))));
    }
    valid(c, row);
  }

  /** Copies {@code length} bytes at {@code address} as the string of this row. */
  public void putString(int c, int row, long address, int length) {
    int start = stringEnd[c];
    ensureString(c, start + length);
    MemoryUtil.copyMemory(address, data[c] + start, length);
    endString(c, row, start + length);
    valid(c, row);
  }

  public void putBytes(int c, int row, byte[] b) {
    int start = stringEnd[c];
    ensureString(c, start + b.length);
    MemoryUtil.copyToMemory(b, 0, data[c] + start, b.length);
    endString(c, row, start + b.length);
    valid(c, row);
  }

  public void putNull(int c, int row) {
    if (types[c].kind() == PhysicalKind.STRING) {
      endString(c, row, stringEnd[c]);
    }
  }

  private void endString(int c, int row, int end) {
    stringEnd[c] = end;
    MemoryUtil.putInt(offsets[c] + ((long) (row + 1) << 2), end);
  }

  private void ensureString(int c, int end) {
    VarCharVector v = (VarCharVector) vectors[c];
    while (v.getDataBuffer().capacity() < end) {
      v.reallocDataBuffer();
      refresh(c);
    }
  }

  /** The column with {@code rows} rows, owned by the caller. */
  public ValueVector take(int c, int rows) {
    ValueVector v = vectors[c];
    vectors[c] = null;
    if (v instanceof VarCharVector) {
      ((VarCharVector) v).setLastSet(rows - 1);
    }
    v.setValueCount(rows);
    return v;
  }

  /** All columns as one batch. */
  public Batch take(int rows) {
    ValueVector[] out = new ValueVector[types.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = take(c, rows);
    }
    return new Batch(out, rows);
  }

  /** Frees columns not taken (after an error). */
  public void release() {
    for (int c = 0; c < vectors.length; c++) {
      if (vectors[c] != null) {
        vectors[c].close();
        vectors[c] = null;
      }
    }
  }
}
