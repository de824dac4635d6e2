package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ValueVector;

/**
 * BYTE_STREAM_SPLIT pages of 4- and 8-byte values: byte k of value i is at {@code k * n + i}, where
 * n is the number of values, so a value is gathered from the page's W streams.
 */
final class ByteStreamSplitDecoder implements ValuesDecoder {
  private final ParquetColumn.Decoding decoding;
  private final StoredValues values;
  private final byte[] page;
  private final int width;
  private final int n;
  private int next;

  ByteStreamSplitDecoder(ParquetColumn column, StoredValues values, int width, ByteBuffer in, int start, int end) {
    this.decoding = column.decoding;
    this.values = values;
    this.width = width;
    if ((end - start) % width != 0) {
      throw values.corrupt("BYTE_STREAM_SPLIT page of " + (end - start) + " bytes, not a multiple of " + width);
    }
    this.page = new byte[end - start];
    ByteBuffer region = in.duplicate();
    region.limit(end).position(start);
    region.get(page);
    this.n = page.length / width;
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    if (next + count > n) {
      throw values.corrupt("BYTE_STREAM_SPLIT page holds " + n + " values, " + (next + count) + " wanted");
    }
    ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
    long o = (long) at << 3;
    switch (decoding) {
      case FLOAT:
        for (int i = 0; i < count; i++) {
          data.setDouble(o + ((long) i << 3), Float.intBitsToFloat((int) gather(next + i)));
        }
        break;
      case INT32:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), (int) gather(next + i));
        }
        break;
      case UINT32: // four bytes gathered into a long are already unsigned
      case DOUBLE:
      case INT64:
      case TIMESTAMP_MICROS:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), gather(next + i));
        }
        break;
      default:
        for (int i = 0; i < count; i++) {
          data.setLong(o + ((long) i << 3), values.fromLong(gather(next + i)));
        }
    }
    next += count;
  }

  private long gather(int i) {
    long bits = 0;
    for (int k = 0, s = i; k < width; k++, s += n) {
      bits |= (long) (page[s] & 0xff) << (k << 3);
    }
    return bits;
  }

  @Override
  public void skip(int count) {
    if (next + count > n) {
      throw values.corrupt("BYTE_STREAM_SPLIT page holds " + n + " values, skipping past them");
    }
    next += count;
  }
}
