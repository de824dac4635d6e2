package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one flat column chunk page by page straight into vectors. Definition levels are decoded
 * a batch at a time; values are decoded densely by a {@link ValuesDecoder} chosen per page from
 * its encoding (PLAIN, dictionary, or parquet-column's readers for the rarer ones), then
 * {@link NullSpreader} moves them to their rows. The dictionary page is decoded once per chunk.
 * Handles data page v1 and v2; pages arrive from parquet-hadoop's page reader and decompress
 * when first opened ({@link PageDecompressors}), so pages skipped whole are never decompressed.
 *
 * <p>Only the rows of a {@link RowSelection} are emitted: values of other rows in the pages that
 * are read are skipped, which aligns columns whose pages start at different rows.
 */
final class PageColumnReader {
  /** Definition levels of part of a page. */
  private interface Levels {
    void read(int[] out, int off, int n);
  }

  private final ParquetColumn column;
  private final PageReader pages;
  private final StoredValues values;
  private final ColumnDictionary dictionary;
  private final int maxDef;
  private final ScanMetrics metrics;
  private final PageOwnership ownership;

  /** The rows to emit; rows outside it are skipped (and whole pages outside it are never read). */
  private final RowSelection rows;
  /** The selected range being emitted, and the next row of it to emit. */
  private int range;
  private long nextRow;
  /** Values (NULLs included) left in the current page, and the row of the next one. */
  private int pageLeft;
  private long pageRow;
  private Levels levels;
  private ValuesDecoder decoder;
  /** Set while {@link #readIds} runs: rows decode to their dictionary ids here instead of values. */
  private int[] ids;
  /** The current page, opened (decoder set) only when some of its values are needed. */
  private DataPage page;
  private int[] defs = new int[0];

  private PageColumnReader(ParquetColumn column, PageReader pages, RowSelection rows, StoredValues values,
      ColumnDictionary dictionary, ScanMetrics metrics, PageOwnership ownership) {
    this.column = column;
    this.rows = rows;
    this.pages = pages;
    this.values = values;
    this.dictionary = dictionary;
    this.maxDef = column.maxDefinitionLevel();
    this.metrics = metrics;
    this.ownership = ownership;
  }

  /**
   * A reader of the {@code rows} of the chunk. {@code pages} may lack pages holding none of those
   * rows (pages then carry their first row index, from the offset index). {@code ownership} says
   * which pages read count in {@code metrics} as read and which as read again (by a neighbouring
   * slice too).
   */
  static PageColumnReader create(ParquetColumn column, PageReader pages, RowSelection rows, String where,
      ScanMetrics metrics, PageOwnership ownership) {
    if (column.descriptor.getMaxRepetitionLevel() != 0 || column.maxDefinitionLevel() > 1) {
      // ParquetSchemaMapper rejects nested and repeated columns when a table is opened
      throw new IllegalStateException("column " + column.name + " is not flat");
    }
    StoredValues values = new StoredValues(column, where);
    long compressedBefore = PageDecompressors.compressedBytesOnThisThread();
    DictionaryPage page = pages.readDictionaryPage();
    ColumnDictionary dictionary = null;
    if (page != null) {
      if (ownership.ownsDictionary()) {
        metrics.pageRead(PageDecompressors.compressedBytesOnThisThread() - compressedBefore);
      } else {
        metrics.pageReadAgain();
      }
      dictionary = ColumnDictionary.decode(column, page, values);
    }
    return new PageColumnReader(column, pages, rows, values, dictionary, metrics, ownership);
  }

  /** The chunk's decoded dictionary, or null if it has none. */
  ColumnDictionary dictionary() {
    return dictionary;
  }

  /** Reads the next {@code n} rows' values into rows 0..n-1 of {@code out} (allocated for n rows). */
  void read(ValueVector out, int n) {
    walk(out, n, null, n);
  }

  /**
   * Reads only positions {@code sel[0..m)} (increasing) of the next {@code n} rows into rows
   * {@code 0..m-1} of {@code out}; the values of the other rows are skipped, not decoded, and pages
   * holding none of the selected rows are neither decompressed nor decoded.
   */
  void readSelected(ValueVector out, int n, int[] sel, int m) {
    walk(out, n, sel, m);
  }

  /**
   * Reads the dictionary ids of the next {@code n} rows into {@code out[0..n)}, without mapping
   * them to values; a NULL row gets the id {@code dictionary().size}. Only for chunks whose every
   * data page is dictionary-encoded.
   */
  void readIds(int[] out, int n) {
    if (dictionary == null) {
      throw values.corrupt("dictionary ids asked of a chunk without a dictionary");
    }
    ids = out;
    try {
      walk(null, n, null, n);
    } finally {
      ids = null;
    }
  }

  /** Moves past the next {@code n} rows without decoding them. */
  void skip(int n) {
    walk(null, n, NONE, 0);
  }

  private static final int[] NONE = new int[0];

  /**
   * Walks the next {@code n} rows of the selection, page by page: all of them are decoded into
   * {@code out} when {@code sel} is null, otherwise only positions {@code sel[0..m)}.
   */
  private void walk(ValueVector out, int n, int[] sel, int m) {
    if (out instanceof VarCharVector) {
      ((VarCharVector) out).getOffsetBuffer().setInt(0, 0);
    }
    int position = 0; // rows of this call walked so far
    int filled = 0; // rows written to out
    int s = 0; // next entry of sel
    try {
      while (position < n) {
        if (pageLeft == 0) {
          nextPage();
          continue;
        }
        if (range >= rows.rangeCount()) {
          throw values.corrupt("more rows asked for than the row selection " + rows + " holds");
        }
        long wanted = Math.max(nextRow, rows.start(range));
        if (pageRow < wanted) {
          // Rows between selected ranges, or before the first one, in a page that was read anyway.
          skipRows((int) Math.min(pageLeft, wanted - pageRow));
          continue;
        }
        if (pageRow > wanted) {
          throw values.corrupt("a page starting at row " + pageRow + " where row " + wanted
              + " was expected (an offset index that does not match the pages?)");
        }
        int k = (int) Math.min(Math.min(pageLeft, n - position), rows.end(range) - pageRow);
        if (sel == null) {
          decodeRows(out, filled, k);
          filled += k;
        } else {
          // Positions [position, position + k) lie in this page: decode the selected runs, skip the gaps.
          int end = position + k;
          int at = position;
          while (s < m && sel[s] < end) {
            int first = sel[s];
            int run = 1;
            while (s + run < m && sel[s + run] == first + run && first + run < end) {
              run++;
            }
            if (first > at) {
              skipRows(first - at);
            }
            decodeRows(out, filled, run);
            filled += run;
            s += run;
            at = first + run;
          }
          if (at < end) {
            skipRows(end - at);
          }
        }
        position += k;
        nextRow = pageRow;
        if (nextRow == rows.end(range)) {
          range++;
        }
      }
    } catch (KilnException e) {
      throw e;
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      throw e; // the memory limit, not the file: the executor reports it as such
    } catch (IOException | RuntimeException e) {
      throw KilnException.io("cannot decode " + values.where() + " (truncated or corrupt page?): " + e, e);
    }
    if (filled != (sel == null ? n : m)) {
      throw new IllegalStateException("selection " + m + " of " + n + " rows filled " + filled);
    }
    if (out instanceof VarCharVector) {
      ((VarCharVector) out).setLastSet(filled - 1);
    }
  }

  /** Decodes the next {@code k} rows of the current page into rows {@code at .. at+k-1}. */
  private void decodeRows(ValueVector out, int at, int k) throws IOException {
    openPage();
    pageRow += k;
    pageLeft -= k;
    if (ids != null) {
      decodeIds(at, k);
      return;
    }
    if (levels == null) {
      decoder.read(out, at, k);
      NullSpreader.markPresent(out, at, k);
      return;
    }
    int present = readLevels(k);
    if (present > 0) {
      decoder.read(out, at, present);
    }
    if (present == k) {
      NullSpreader.markPresent(out, at, k);
    } else {
      NullSpreader.spread(out, at, defs, k, present, maxDef);
    }
  }

  /** The ids of the next {@code k} rows of the current page into {@code ids[at..at+k)}, NULLs as dictionary size. */
  private void decodeIds(int at, int k) {
    if (!(decoder instanceof DictionaryValuesDecoder)) {
      throw values.corrupt("a page that is not dictionary-encoded in a chunk whose metadata says all are");
    }
    DictionaryValuesDecoder d = (DictionaryValuesDecoder) decoder;
    if (levels == null) {
      d.readIds(ids, at, k);
      return;
    }
    int present = readLevels(k);
    d.readIds(ids, at, present);
    // Spread from the back, as NullSpreader does for values: a present row takes the last id not yet placed.
    int j = at + present - 1;
    for (int i = k - 1; i >= 0; i--) {
      ids[at + i] = defs[i] == maxDef ? ids[j--] : dictionary.size;
    }
  }

  /**
   * Moves past the next {@code k} rows of the current page. The rest of a page needs neither its
   * levels nor its values: a page skipped whole is never opened (decompressed or decoded).
   */
  private void skipRows(int k) throws IOException {
    if (k == pageLeft) {
      if (decoder == null) {
        metrics.pageNotDecoded();
      }
      pageRow += k;
      pageLeft = 0;
      return;
    }
    openPage();
    pageRow += k;
    pageLeft -= k;
    decoder.skip(levels == null ? k : readLevels(k));
  }

  /** Reads {@code k} definition levels into {@code defs}; returns how many rows are not NULL. */
  private int readLevels(int k) {
    if (defs.length < k) {
      defs = new int[Math.max(k, 1024)];
    }
    levels.read(defs, 0, k);
    int present = 0;
    for (int i = 0; i < k; i++) {
      present += defs[i] == maxDef ? 1 : 0;
    }
    return present;
  }

  /** Fetches the next page and notes its rows; its bytes are not touched until {@link #openPage}. */
  private void nextPage() {
    long compressedBefore = PageDecompressors.compressedBytesOnThisThread();
    DataPage page = pages.readPage();
    if (page == null) {
      throw KilnException.io(values.where() + " has fewer values than its row group says (truncated or corrupt?)",
          null);
    }
    // Without an offset index, pages follow each other; with one, skipped pages leave gaps.
    long firstRow = page.getFirstRowIndex().orElse(pageRow);
    if (ownership.ownsPageAt(firstRow)) {
      metrics.pageRead(storedSize(page, PageDecompressors.compressedBytesOnThisThread() - compressedBefore));
    } else {
      metrics.pageReadAgain();
    }
    if (page.getValueCount() < 0) {
      throw values.corrupt("a negative value count in a page header");
    }
    this.page = page;
    decoder = null;
    levels = null;
    pageRow = firstRow;
    pageLeft = page.getValueCount();
  }

  /**
   * The page's size as stored, given the bytes of it that went through a decompressor: all of a
   * v1 page, the values of a compressed v2 page (its levels are never compressed), nothing of an
   * uncompressed v2 page.
   */
  private static long storedSize(DataPage page, long compressed) {
    if (page instanceof DataPageV2) {
      DataPageV2 v2 = (DataPageV2) page;
      return compressed == 0 ? page.getCompressedSize()
          : compressed + v2.getDefinitionLevels().size() + v2.getRepetitionLevels().size();
    }
    return compressed;
  }

  /** Decompresses the current page and sets up its levels and values, once, when first needed. */
  private void openPage() throws IOException {
    if (decoder != null) {
      return;
    }
    int valueCount = page.getValueCount();
    Encoding encoding;
    ByteBuffer data;
    int start;
    if (page instanceof DataPageV1) {
      DataPageV1 v1 = (DataPageV1) page;
      encoding = v1.getValueEncoding();
      data = buffer(v1.getBytes());
      start = data.position();
      levels = null;
      if (maxDef > 0) {
        start = v1Levels(v1.getDlEncoding(), data, start, valueCount);
      }
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      encoding = v2.getDataEncoding();
      data = buffer(v2.getData());
      start = data.position();
      levels = null;
      if (maxDef > 0) {
        ByteBuffer dl = buffer(v2.getDefinitionLevels());
        levels = new RleBitPackedDecoder(dl, dl.position(), dl.limit(), BytesUtils.getWidthFromMaxInt(maxDef))::read;
      }
    }
    decoder = valuesDecoder(encoding, valueCount, data, start, data.limit());
  }

  private static ByteBuffer buffer(BytesInput bytes) throws IOException {
    return bytes.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Sets up the v1 page's definition levels; returns where its values start. */
  private int v1Levels(Encoding encoding, ByteBuffer data, int start, int valueCount) {
    int bitWidth = BytesUtils.getWidthFromMaxInt(maxDef);
    if (encoding == Encoding.RLE) {
      // A 4-byte little-endian length, then the RLE/bit-packed hybrid.
      if (data.limit() - start < 4) {
        throw values.corrupt("a data page too short for its definition levels");
      }
      int length = data.getInt(start);
      if (length < 0 || length > data.limit() - start - 4) {
        throw values.corrupt("definition levels of " + length + " bytes in a page of " + (data.limit() - start));
      }
      levels = new RleBitPackedDecoder(data, start + 4, start + 4 + length, bitWidth)::read;
      return start + 4 + length;
    }
    if (encoding == Encoding.BIT_PACKED) {
      // Deprecated (very old writers): packed MSB first, no length prefix and no runs.
      long bytes = ((long) valueCount * bitWidth + 7) / 8;
      if (bytes > data.limit() - start) {
        throw values.corrupt("definition levels past the end of the page");
      }
      int[] all = new int[valueCount];
      for (int i = 0; i < valueCount; i++) {
        int v = 0;
        for (int b = 0; b < bitWidth; b++) {
          long bit = (long) i * bitWidth + b;
          v = (v << 1) | ((data.get(start + (int) (bit >>> 3)) >>> (7 - (bit & 7))) & 1);
        }
        all[i] = v;
      }
      int[] next = {0};
      levels = (out, off, n) -> {
        System.arraycopy(all, next[0], out, off, n);
        next[0] += n;
      };
      return start + (int) bytes;
    }
    throw values.corrupt("definition levels in encoding " + encoding);
  }

  private ValuesDecoder valuesDecoder(Encoding encoding, int valueCount, ByteBuffer data, int start, int end) {
    PrimitiveTypeName physical = column.descriptor.getPrimitiveType().getPrimitiveTypeName();
    switch (encoding) {
      case PLAIN:
        return new PlainValuesDecoder(column, values, data, start, end);
      case PLAIN_DICTIONARY:
      case RLE_DICTIONARY:
        if (dictionary == null) {
          throw values.corrupt("a dictionary-encoded page but no dictionary page");
        }
        return new DictionaryValuesDecoder(dictionary, values, data, start, end);
      case DELTA_BINARY_PACKED:
        if (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) {
          return new DeltaIntegerDecoder(column, values, valueCount, data, start, end);
        }
        return rareValues(encoding, valueCount, data, start, end);
      case DELTA_LENGTH_BYTE_ARRAY:
      case DELTA_BYTE_ARRAY:
        if (column.decoding == ParquetColumn.Decoding.STRING) {
          return new DeltaStringDecoder(values, encoding == Encoding.DELTA_BYTE_ARRAY, valueCount, data, start, end);
        }
        return rareValues(encoding, valueCount, data, start, end);
      case BYTE_STREAM_SPLIT:
        switch (physical) {
          case INT32:
          case FLOAT:
            return new ByteStreamSplitDecoder(column, values, 4, data, start, end);
          case INT64:
          case DOUBLE:
            return new ByteStreamSplitDecoder(column, values, 8, data, start, end);
          default:
            return rareValues(encoding, valueCount, data, start, end);
        }
      case RLE:
        return rareValues(encoding, valueCount, data, start, end);
      default:
        throw KilnException.io("cannot decode " + values.where() + ": unsupported page encoding " + encoding, null);
    }
  }

  /** Encodings without a decoder of Kiln's own (RLE booleans, fixed-length decimals) go through parquet-column. */
  private ValuesDecoder rareValues(Encoding encoding, int valueCount, ByteBuffer data, int start, int end) {
    try {
      return new ValuesReaderDecoder(column, values, encoding, valueCount, data, start, end);
    } catch (UnsupportedOperationException | ParquetDecodingException e) {
      throw values.corrupt(encoding + " values on a " + column.descriptor.getPrimitiveType() + " column: " + e);
    }
  }
}
