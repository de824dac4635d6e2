package io.kiln.datasource.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.values.ValuesReader;

/**
 * Encodings Kiln has no decoder of its own for (RLE booleans; DELTA and BYTE_STREAM_SPLIT on
 * byte-array decimals) through parquet-column's own {@link ValuesReader}, one value per call:
 * correct for every writer, and cheap enough for encodings that are seldom on a hot path.
 */
final class ValuesReaderDecoder implements ValuesDecoder {
  private final ParquetColumn column;
  private final StoredValues values;
  private final ValuesReader reader;
  private final VarCharAppender strings = new VarCharAppender();

  /** Reads {@code in[start, end)}, a page holding {@code valueCount} values (NULLs included). */
  ValuesReaderDecoder(ParquetColumn column, StoredValues values, Encoding encoding, int valueCount,
      ByteBuffer in, int start, int end) {
    this.column = column;
    this.values = values;
    this.reader = encoding.getValuesReader(column.descriptor, ValuesType.VALUES);
    ByteBuffer page = in.duplicate();
    page.limit(end).position(start);
    try {
      reader.initFromPage(valueCount, ByteBufferInputStream.wrap(page.slice()));
    } catch (IOException e) {
      throw values.corrupt("cannot start " + encoding + " values: " + e.getMessage());
    }
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    if (column.decoding == ParquetColumn.Decoding.STRING) {
      strings.start((VarCharVector) out, at);
      for (int i = 0; i < count; i++) {
        ByteBuffer b = reader.readBytes().toByteBuffer();
        strings.append(b, b.position(), b.remaining());
      }
      return;
    }
    ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
    // one loop per kind, so the per-value work is the reader's call and one store
    switch (column.decoding) {
      case BOOLEAN:
        for (int i = 0; i < count; i++) {
          BitVectorHelper.setValidityBit(data, at + i, reader.readBoolean() ? 1 : 0);
        }
        break;
      case FLOAT:
        for (int i = 0; i < count; i++) {
          data.setDouble((long) (at + i) << 3, reader.readFloat());
        }
        break;
      case DOUBLE:
        for (int i = 0; i < count; i++) {
          data.setDouble((long) (at + i) << 3, reader.readDouble());
        }
        break;
      case INT32:
      case UINT32:
        for (int i = 0; i < count; i++) {
          data.setLong((long) (at + i) << 3, values.fromInt(reader.readInteger()));
        }
        break;
      case INT96:
      case DECIMAL_BYTES:
        for (int i = 0; i < count; i++) {
          ByteBuffer b = reader.readBytes().toByteBuffer();
          data.setLong((long) (at + i) << 3, values.fromBytes(b, b.position(), b.remaining()));
        }
        break;
      default:
        for (int i = 0; i < count; i++) {
          data.setLong((long) (at + i) << 3, values.fromLong(reader.readLong()));
        }
    }
  }

  @Override
  public void skip(int count) {
    reader.skip(count);
  }
}
