package io.kiln.datasource.parquet;

import io.kiln.KilnException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Page-level decoding for the commonest columns: REQUIRED INT32/INT64 (integers, dates, decimals
 * stored as integers) and REQUIRED strings, in PLAIN or dictionary pages. PLAIN INT64 pages are
 * copied into the vector in one bulk copy; dictionary pages map ids through the dictionary decoded
 * once. Everything else goes through the value-at-a-time {@link ColumnDecoder}.
 */
final class RequiredPageDecoder implements ColumnValues {
  private static final Set<Encoding> HANDLED =
      EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED);

  private final PageReader pages;
  private final boolean int64;
  private final boolean strings;
  private final long[] dictionary;
  private final byte[][] stringDictionary;
  private final String where;

  private byte[] data;
  private int offset;
  private int remaining;
  private RunLengthBitPackingHybridDecoder ids;

  private RequiredPageDecoder(PageReader pages, boolean int64, boolean strings, long[] dictionary,
      byte[][] stringDictionary, String where) {
    this.pages = pages;
    this.int64 = int64;
    this.strings = strings;
    this.dictionary = dictionary;
    this.stringDictionary = stringDictionary;
    this.where = where;
  }

  /** This decoder for the column chunk, or null when the chunk needs the general decoder. */
  static RequiredPageDecoder tryCreate(ParquetColumn column, ColumnChunkMetaData chunk, PageReader pages,
      String where) {
    ColumnDescriptor d = column.descriptor;
    boolean int64 = column.decoding == ParquetColumn.Decoding.INT64
        || column.decoding == ParquetColumn.Decoding.TIMESTAMP_MICROS;
    boolean int32 = column.decoding == ParquetColumn.Decoding.INT32;
    boolean strings = column.decoding == ParquetColumn.Decoding.STRING;
    if ((!int64 && !int32 && !strings) || d.getMaxDefinitionLevel() != 0 || d.getMaxRepetitionLevel() != 0
        || chunk == null || !HANDLED.containsAll(chunk.getEncodings())) {
      return null;
    }
    long[] dictionary = null;
    byte[][] stringDictionary = null;
    DictionaryPage page = pages.readDictionaryPage();
    if (page != null) {
      try {
        Dictionary dict = page.getEncoding().initDictionary(d, page);
        int size = dict.getMaxId() + 1;
        if (strings) {
          stringDictionary = new byte[size][];
          for (int i = 0; i < size; i++) {
            stringDictionary[i] = dict.decodeToBinary(i).getBytes();
          }
        } else {
          dictionary = new long[size];
          for (int i = 0; i < size; i++) {
            dictionary[i] = int64 ? dict.decodeToLong(i) : dict.decodeToInt(i);
          }
        }
      } catch (IOException e) {
        throw KilnException.io("cannot read the dictionary of " + where + ": " + e.getMessage(), e);
      }
    }
    return new RequiredPageDecoder(pages, int64, strings, dictionary, stringDictionary, where);
  }

  @Override
  public void read(ValueVector vector, int n) {
    if (strings) {
      readStrings((VarCharVector) vector, n);
      return;
    }
    BigIntVector out = (BigIntVector) vector;
    ArrowBuf buf = out.getDataBuffer();
    int filled = 0;
    try {
      while (filled < n) {
        if (remaining == 0) {
          nextPage();
        }
        int k = Math.min(remaining, n - filled);
        if (ids != null) {
          for (int i = 0; i < k; i++) {
            buf.setLong((long) (filled + i) << 3, dictionary[ids.readInt()]);
          }
        } else if (int64) {
          buf.setBytes((long) filled << 3, data, offset, (long) k << 3);
          offset += k << 3;
        } else {
          for (int i = 0; i < k; i++) {
            int at = offset + (i << 2);
            int v = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | data[at + 3] << 24;
            buf.setLong((long) (filled + i) << 3, v);
          }
          offset += k << 2;
        }
        filled += k;
        remaining -= k;
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw KilnException.io("cannot decode " + where + " (truncated or corrupt page?): " + e, e);
    }
    if (n > 0) {
      out.getValidityBuffer().setOne(0, (n + 7) / 8);
    }
  }

  private void readStrings(VarCharVector out, int n) {
    int filled = 0;
    try {
      while (filled < n) {
        if (remaining == 0) {
          nextPage();
        }
        int k = Math.min(remaining, n - filled);
        for (int i = 0; i < k; i++) {
          if (ids != null) {
            byte[] value = stringDictionary[ids.readInt()];
            out.setSafe(filled + i, value, 0, value.length);
          } else {
            // PLAIN BYTE_ARRAY: a 4-byte little-endian length, then the bytes.
            int len = (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16
                | data[offset + 3] << 24;
            out.setSafe(filled + i, data, offset + 4, len);
            offset += 4 + len;
          }
        }
        filled += k;
        remaining -= k;
      }
    } catch (IOException | IndexOutOfBoundsException e) {
      throw KilnException.io("cannot decode " + where + " (truncated or corrupt page?): " + e, e);
    }
  }

  private void nextPage() throws IOException {
    DataPage page = pages.readPage();
    if (page == null) {
      throw KilnException.io(where + " has fewer values than its row group says", null);
    }
    Encoding encoding;
    byte[] bytes;
    if (page instanceof DataPageV1) {
      DataPageV1 v1 = (DataPageV1) page;
      encoding = v1.getValueEncoding();
      bytes = v1.getBytes().toByteArray(); // REQUIRED and flat: no level sections, only values
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      encoding = v2.getDataEncoding();
      bytes = v2.getData().toByteArray();
    }
    remaining = page.getValueCount();
    data = bytes;
    offset = 0;
    if (encoding == Encoding.PLAIN) {
      ids = null;
      return;
    }
    if (!encoding.usesDictionary() || (dictionary == null && stringDictionary == null)) {
      throw KilnException.io(where + ": unexpected page encoding " + encoding, null);
    }
    int bitWidth = bytes[0] & 0xff;
    ids = new RunLengthBitPackingHybridDecoder(bitWidth,
        ByteBufferInputStream.wrap(java.nio.ByteBuffer.wrap(bytes, 1, bytes.length - 1)));
  }
}
