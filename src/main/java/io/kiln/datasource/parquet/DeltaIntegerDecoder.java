package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ValueVector;

/** DELTA_BINARY_PACKED INT32/INT64 pages: the page is decoded once, then copied out in runs. */
final class DeltaIntegerDecoder implements ValuesDecoder {
  private final ParquetColumn.Decoding decoding;
  private final StoredValues values;
  private final long[] decoded;
  private int next;

  DeltaIntegerDecoder(ParquetColumn column, StoredValues values, int valueCount, ByteBuffer in, int start, int end) {
    this.decoding = column.decoding;
    this.values = values;
    byte[] page = DeltaBinaryPacked.padded(in, start, end);
    this.decoded = DeltaBinaryPacked.decode(page, 0, end - start, valueCount, values).values;
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    if (next + count > decoded.length) {
      throw values.corrupt("DELTA_BINARY_PACKED page holds " + decoded.length + " values, " + (next + count)
          + " wanted");
    }
    ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
    long o = (long) at << 3;
    switch (decoding) {
      case INT32:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), (int) decoded[next + i]);
        }
        break;
      case UINT32:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), decoded[next + i] & 0xFFFF_FFFFL);
        }
        break;
      case INT64:
      case TIMESTAMP_MICROS:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), decoded[next + i]);
        }
        break;
      default:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), values.fromLong(decoded[next + i]));
        }
    }
    next += count;
  }

  @Override
  public void skip(int count) {
    if (next + count > decoded.length) {
      throw values.corrupt("DELTA_BINARY_PACKED page holds " + decoded.length + " values, skipping past them");
    }
    next += count;
  }
}
