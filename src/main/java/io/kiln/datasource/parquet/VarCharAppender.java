package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VarCharVector;

/**
 * Appends strings to a {@link VarCharVector} row after row by writing its offset and data buffers
 * directly (growing the data buffer as needed), without the per-value checks of {@code setSafe}.
 * The caller sets the validity bits and, when done, the vector's last-set row.
 */
final class VarCharAppender {
  private VarCharVector vector;
  private ArrowBuf data;
  private ArrowBuf offsets;
  private int row;
  private int end;

  /** Starts appending at {@code row}; rows before it must be complete. */
  void start(VarCharVector v, int row) {
    this.vector = v;
    this.data = v.getDataBuffer();
    this.offsets = v.getOffsetBuffer();
    this.row = row;
    this.end = offsets.getInt(4L * row);
  }

  void append(byte[] src, int off, int len) {
    ensure(len);
    data.setBytes(end, src, off, len);
    end += len;
    offsets.setInt(4L * ++row, end);
  }

  void append(ByteBuffer src, int off, int len) {
    ensure(len);
    data.setBytes(end, src, off, len);
    end += len;
    offsets.setInt(4L * ++row, end);
  }

  /**
   * Appends dictionary entry {@code ids[sel[i]]} (or {@code ids[i]} when {@code sel} is null) for
   * each i below {@code count}; the id one past the last entry appends an empty string (a NULL
   * row). Room is made once for all of them, and entries of up to 16 bytes are copied as one or two
   * longs (the dictionary's bytes are padded for that, and so is the room made here): most
   * dictionary strings are short, and a copy call per short string cost more than the copy.
   */
  void appendEntries(ColumnDictionary dictionary, int[] ids, int[] sel, int count) {
    byte[] bytes = dictionary.bytes;
    int[] off = dictionary.offsets;
    int size = dictionary.size;
    long total = 0;
    for (int i = 0; i < count; i++) {
      int e = ids[sel == null ? i : sel[i]];
      total += e < size ? off[e + 1] - off[e] : 0;
    }
    ensure(total + ColumnDictionary.PADDING);
    if (offsets.capacity() < 4L * (row + count + 1)) { // written unchecked below
      throw new IllegalStateException("a vector with room for " + (offsets.capacity() / 4 - 1) + " strings, not "
          + (row + count));
    }
    long dataAddress = data.memoryAddress();
    long offsetAddress = offsets.memoryAddress() + 4L * row;
    int pos = end;
    for (int i = 0; i < count; i++) {
      int e = ids[sel == null ? i : sel[i]];
      if (e < size) {
        int start = off[e];
        int len = off[e + 1] - start;
        long to = dataAddress + pos;
        if (len <= 8) {
          MemoryUtil.putLong(to, MemoryUtil.getLong(bytes, start));
        } else if (len <= 16) {
          MemoryUtil.putLong(to, MemoryUtil.getLong(bytes, start));
          MemoryUtil.putLong(to + 8, MemoryUtil.getLong(bytes, start + 8));
        } else {
          MemoryUtil.copyToMemory(bytes, start, to, len);
        }
        pos += len;
      }
      MemoryUtil.putInt(offsetAddress + 4L * (i + 1), pos);
    }
    end = pos;
    row += count;
  }

  private void ensure(long len) {
    long needed = end + len;
    if (needed > Integer.MAX_VALUE) {
      throw new IllegalStateException("more than 2 GB of strings in one batch");
    }
    while (data.capacity() < needed) {
      vector.reallocDataBuffer();
      data = vector.getDataBuffer();
    }
  }
}
