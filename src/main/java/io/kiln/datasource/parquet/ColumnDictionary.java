package io.kiln.datasource.parquet;

import io.kiln.KilnException;
import io.kiln.types.PhysicalKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.io.api.Binary;

/**
 * A column chunk's dictionary page, decoded once into Kiln's internal encoding: {@code long}s for
 * integer-like columns, {@code double}s for floats, and for strings one byte blob with offsets.
 * Data pages then only map ids to these entries.
 */
final class ColumnDictionary {
  final int size;
  final long[] longs;
  final double[] doubles;
  /** Strings: entry i is {@code bytes[offsets[i], offsets[i+1])}. */
  final byte[] bytes;
  final int[] offsets;

  private ColumnDictionary(int size, long[] longs, double[] doubles, byte[] bytes, int[] offsets) {
    this.size = size;
    this.longs = longs;
    this.doubles = doubles;
    this.bytes = bytes;
    this.offsets = offsets;
  }

  static ColumnDictionary decode(ParquetColumn column, DictionaryPage page, StoredValues values) {
    Dictionary dict;
    try {
      dict = page.getEncoding().initDictionary(column.descriptor, page);
    } catch (IOException | RuntimeException e) {
      throw KilnException.io("cannot read the dictionary of " + values.where() + " (truncated or corrupt?): " + e, e);
    }
    int size = dict.getMaxId() + 1;
    ParquetColumn.Decoding d = column.decoding;
    if (d == ParquetColumn.Decoding.BOOLEAN) {
      throw values.corrupt("a dictionary page on a BOOLEAN column");
    }
    if (d == ParquetColumn.Decoding.STRING) {
      int[] offsets = new int[size + 1];
      Binary[] entries = new Binary[size];
      long total = 0;
      for (int i = 0; i < size; i++) {
        entries[i] = dict.decodeToBinary(i);
        total += entries[i].length();
        if (total > Integer.MAX_VALUE - 8) {
          throw values.corrupt("a string dictionary larger than 2 GB");
        }
        offsets[i + 1] = (int) total;
      }
      byte[] bytes = new byte[(int) total];
      for (int i = 0; i < size; i++) {
        ByteBuffer b = entries[i].toByteBuffer();
        b.duplicate().get(bytes, offsets[i], offsets[i + 1] - offsets[i]);
      }
      return new ColumnDictionary(size, null, null, bytes, offsets);
    }
    if (column.type.kind() == PhysicalKind.DOUBLE) {
      double[] doubles = new double[size];
      for (int i = 0; i < size; i++) {
        doubles[i] = d == ParquetColumn.Decoding.FLOAT ? dict.decodeToFloat(i) : dict.decodeToDouble(i);
      }
      return new ColumnDictionary(size, null, doubles, null, null);
    }
    long[] longs = new long[size];
    for (int i = 0; i < size; i++) {
      switch (d) {
        case INT32:
        case UINT32:
          longs[i] = values.fromInt(dict.decodeToInt(i));
          break;
        case INT96:
        case DECIMAL_BYTES: {
          ByteBuffer b = dict.decodeToBinary(i).toByteBuffer();
          longs[i] = values.fromBytes(b, b.position(), b.remaining());
          break;
        }
        default:
          longs[i] = values.fromLong(dict.decodeToLong(i));
      }
    }
    return new ColumnDictionary(size, longs, null, null, null);
  }
}
