package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
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

  private void ensure(int len) {
    long needed = (long) end + len;
    if (needed > Integer.MAX_VALUE) {
      throw new IllegalStateException("more than 2 GB of strings in one batch");
    }
    while (data.capacity() < needed) {
      vector.reallocDataBuffer();
      data = vector.getDataBuffer();
    }
  }
}
