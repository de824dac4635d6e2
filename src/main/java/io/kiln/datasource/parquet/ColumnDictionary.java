package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.types.PhysicalKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.DictionaryPage;

/**
 * A column chunk's dictionary page, decoded once into Kiln's internal encoding: {@code long}s for
 * integer-like columns, {@code double}s for floats, and for strings one byte blob with offsets.
 * Data pages then only map ids to these entries.
 */
final class ColumnDictionary {
  final int size;
  final long[] longs;
  final double[] doubles;
  /** Bytes after the last string entry, so an entry may be read 16 bytes at a time. */
  static final int PADDING = 16;
  /** Strings: entry i is {@code bytes[offsets[i], offsets[i+1])}, followed by {@link #PADDING} zero bytes. */
  final byte[] bytes;
  final int[] offsets;

  private ColumnDictionary(int size, long[] longs, double[] doubles, byte[] bytes, int[] offsets) {
    this.size = size;
    this.longs = longs;
    this.doubles = doubles;
    this.bytes = bytes;
    this.offsets = offsets;
  }

  /** A dictionary of string entries (UTF-8 bytes); throws IllegalArgumentException past 2 GB. */
  static ColumnDictionary ofStrings(byte[][] entries) {
    int[] offsets = new int[entries.length + 1];
    long total = 0;
    for (int i = 0; i < entries.length; i++) {
      total += entries[i].length;
      if (total > Integer.MAX_VALUE - 8 - PADDING) {
        throw new IllegalArgumentException("a string dictionary larger than 2 GB");
      }
      offsets[i + 1] = (int) total;
    }
    byte[] bytes = new byte[(int) total + PADDING];
    for (int i = 0; i < entries.length; i++) {
      System.arraycopy(entries[i], 0, bytes, offsets[i], entries[i].length);
    }
    return new ColumnDictionary(entries.length, null, null, bytes, offsets);
  }

  static ColumnDictionary decode(ParquetColumn column, DictionaryPage page, StoredValues values) {
    Dictionary dict;
    try {
      dict = page.getEncoding().initDictionary(column.descriptor, page);
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      throw e; // the memory limit, not the file: the executor reports it as such
    } catch (IOException | RuntimeException e) {
      throw KilnException.io("cannot read the dictionary of " + values.where() + " (truncated or corrupt?): " + e, e);
    }
    int size = dict.getMaxId() + 1;
    ParquetColumn.Decoding d = column.decoding;
    if (d == ParquetColumn.Decoding.BOOLEAN) {
      throw values.corrupt("a dictionary page on a BOOLEAN column");
    }
    if (d == ParquetColumn.Decoding.STRING) {
      byte[][] entries = new byte[size][];
      for (int i = 0; i < size; i++) {
        entries[i] = dict.decodeToBinary(i).getBytes();
      }
      try {
        return ofStrings(entries);
      } catch (IllegalArgumentException e) {
        throw values.corrupt(e.getMessage());
      }
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
