package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * PLAIN values of one page. 8-byte values already in Kiln's encoding (INT64, timestamps in
 * micros, DOUBLE) are one bulk copy into the vector's data buffer; the rest is a tight loop per
 * stored type. Strings are a 4-byte little-endian length then the bytes; booleans are bit-packed.
 */
final class PlainValuesDecoder implements ValuesDecoder {
  private final ParquetColumn.Decoding decoding;
  private final StoredValues values;
  /** FIXED_LEN_BYTE_ARRAY length, or -1 for length-prefixed BINARY. */
  private final int fixedLength;
  private final ByteBuffer in;
  private final int limit;
  private int pos;
  /** Booleans: bit position of the next value. */
  private long bit;
  private final VarCharAppender strings = new VarCharAppender();

  /** Decodes {@code in[start, end)}. */
  PlainValuesDecoder(ParquetColumn column, StoredValues values, ByteBuffer in, int start, int end) {
    this.decoding = column.decoding;
    this.values = values;
    this.fixedLength = column.descriptor.getPrimitiveType().getPrimitiveTypeName()
        == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY ? column.descriptor.getPrimitiveType().getTypeLength() : -1;
    this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.pos = start;
    this.limit = end;
    this.bit = (long) start * 8;
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    switch (decoding) {
      case STRING:
        readStrings((VarCharVector) out, at, count);
        return;
      case BOOLEAN:
        readBooleans(((BaseFixedWidthVector) out).getDataBuffer(), at, count);
        return;
      default:
        break;
    }
    ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
    long o = (long) at << 3;
    switch (decoding) {
      case INT64:
      case TIMESTAMP_MICROS:
      case DOUBLE:
        need((long) count << 3);
        if (in.hasArray()) {
          data.setBytes(o, in.array(), in.arrayOffset() + pos, (long) count << 3);
        } else {
          data.setBytes(o, in, pos, count << 3);
        }
        pos += count << 3;
        break;
      case INT32:
        need((long) count << 2);
        for (int i = 0; i < count; i++, pos += 4) {
          data.setLong(o + ((long) i << 3), in.getInt(pos));
        }
        break;
      case UINT32:
        need((long) count << 2);
        for (int i = 0; i < count; i++, pos += 4) {
          data.setLong(o + ((long) i << 3), in.getInt(pos) & 0xFFFF_FFFFL);
        }
        break;
      case FLOAT:
        need((long) count << 2);
        for (int i = 0; i < count; i++, pos += 4) {
          data.setDouble(o + ((long) i << 3), in.getFloat(pos));
        }
        break;
      case UINT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_NANOS:
        need((long) count << 3);
        for (int i = 0; i < count; i++, pos += 8) {
          data.setLong(o + ((long) i << 3), values.fromLong(in.getLong(pos)));
        }
        break;
      case INT96:
      case DECIMAL_BYTES:
        for (int i = 0; i < count; i++) {
          int len = fixedLength >= 0 ? fixedLength : decoding == ParquetColumn.Decoding.INT96 ? 12 : lengthPrefix();
          need(len);
          data.setLong(o + ((long) i << 3), values.fromBytes(in, pos, len));
          pos += len;
        }
        break;
      default:
        throw new IllegalStateException("no PLAIN decoding for " + decoding);
    }
  }

  @Override
  public void skip(int count) {
    switch (decoding) {
      case BOOLEAN:
        if (bit + count > (long) limit * 8) {
          throw values.corrupt("PLAIN booleans past the end of the page");
        }
        bit += count;
        return;
      case INT32:
      case UINT32:
      case FLOAT:
        skipBytes((long) count << 2);
        return;
      case INT64:
      case UINT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
      case TIMESTAMP_NANOS:
      case DOUBLE:
        skipBytes((long) count << 3);
        return;
      case INT96:
        skipBytes(12L * count);
        return;
      case STRING:
      case DECIMAL_BYTES:
        if (fixedLength >= 0) {
          skipBytes((long) fixedLength * count);
        } else {
          for (int i = 0; i < count; i++) {
            skipBytes(lengthPrefix());
          }
        }
        return;
      default:
        throw new IllegalStateException("no PLAIN decoding for " + decoding);
    }
  }

  private void skipBytes(long bytes) {
    need(bytes);
    pos += (int) bytes;
  }

  private void readStrings(VarCharVector out, int at, int count) {
    strings.start(out, at);
    for (int i = 0; i < count; i++) {
      int len = fixedLength >= 0 ? fixedLength : lengthPrefix();
      need(len);
      strings.append(in, pos, len);
      pos += len;
    }
  }

  private void readBooleans(ArrowBuf data, int at, int count) {
    if (bit + count > (long) limit * 8) {
      throw values.corrupt("PLAIN booleans past the end of the page");
    }
    for (int i = 0; i < count; i++, bit++) {
      int v = (in.get((int) (bit >>> 3)) >>> (bit & 7)) & 1;
      BitVectorHelper.setValidityBit(data, at + i, v);
    }
  }

  private int lengthPrefix() {
    need(4);
    int len = in.getInt(pos);
    pos += 4;
    if (len < 0) {
      throw values.corrupt("a negative value length");
    }
    return len;
  }

  private void need(long bytes) {
    if (pos + bytes > limit) {
      throw values.corrupt("PLAIN values past the end of the page");
    }
  }
}
