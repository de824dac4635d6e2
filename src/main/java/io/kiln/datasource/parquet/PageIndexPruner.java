package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.catalog.ColumnPredicate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;

/**
 * Finds the rows of a row group that may match the filters from the column indexes (per-page
 * min/max/null counts) of the predicate columns, and how many pages of the projected columns the
 * offset indexes then let the scan skip. A page is ruled out by the same test
 * {@link RowGroupPruner} applies to a whole row group, so it is "maybe" whenever unsure. Files
 * without these indexes (DuckDB writes none) are read whole.
 */
final class PageIndexPruner {
  /** The rows to read and the pages of the projected columns that hold none of them. */
  record Selection(RowRanges rows, long pagesSkipped) {}

  private final ParquetFileReader reader;
  private final BlockMetaData block;
  private final String where;
  /** Indexes read so far: a column may have several predicates, and is usually projected too. */
  private final Map<ParquetColumn, ColumnIndex> columnIndexes = new HashMap<>();
  private final Map<ParquetColumn, OffsetIndex> offsetIndexes = new HashMap<>();

  /** {@code where} names the file and row group in errors. */
  PageIndexPruner(ParquetFileReader reader, BlockMetaData block, String where) {
    this.reader = reader;
    this.block = block;
    this.where = where;
  }

  /**
   * The rows of the row group that may match, or null when the indexes cannot narrow them down
   * (no index, no usable predicate, or every page may match).
   */
  Selection select(List<ParquetColumn> columns, List<ColumnPredicate> filters, List<ParquetColumn> projected) {
    long rowCount = block.getRowCount();
    RowRanges rows = null;
    for (ColumnPredicate p : filters) {
      if (p.column() < 0 || p.column() >= columns.size()) {
        continue;
      }
      ParquetColumn c = columns.get(p.column());
      ColumnChunkMetaData chunk = RowGroupPruner.find(block, c);
      if (chunk == null || chunk.getColumnIndexReference() == null || chunk.getOffsetIndexReference() == null) {
        continue;
      }
      ColumnIndex index = columnIndex(chunk, c);
      if (index == null) {
        continue;
      }
      OffsetIndex offsets = offsetIndex(chunk, c);
      int[] pages = matchingPages(p, c, chunk, index, offsets);
      RowRanges r = RowRanges.create(rowCount, IntStream.of(pages).iterator(), offsets);
      rows = rows == null ? r : RowRanges.intersection(rows, r);
    }
    if (rows == null || rows.rowCount() == rowCount) {
      return null;
    }
    long skipped = 0;
    for (ParquetColumn c : projected) {
      ColumnChunkMetaData chunk = RowGroupPruner.find(block, c);
      if (chunk == null || chunk.getOffsetIndexReference() == null) {
        return null; // pages of this column cannot be located: read the row group whole
      }
      OffsetIndex offsets = offsetIndex(chunk, c);
      for (int i = 0; i < offsets.getPageCount(); i++) {
        if (!rows.isOverlapping(offsets.getFirstRowIndex(i), offsets.getLastRowIndex(i, rowCount))) {
          skipped++;
        }
      }
    }
    return new Selection(rows, skipped);
  }

  /** Pages whose statistics do not rule out {@code p}. */
  private int[] matchingPages(ColumnPredicate p, ParquetColumn c, ColumnChunkMetaData chunk, ColumnIndex index,
      OffsetIndex offsets) {
    List<Boolean> nullPages = index.getNullPages();
    List<ByteBuffer> mins = index.getMinValues();
    List<ByteBuffer> maxes = index.getMaxValues();
    List<Long> nullCounts = index.getNullCounts(); // optional in the format
    int pageCount = offsets.getPageCount();
    if (nullPages.size() != pageCount || mins.size() != pageCount || maxes.size() != pageCount
        || (nullCounts != null && nullCounts.size() != pageCount)) {
      throw corrupt(c, "the column index lists " + nullPages.size() + " pages but the offset index " + pageCount);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < pageCount; i++) {
      long rows = offsets.getLastRowIndex(i, block.getRowCount()) - offsets.getFirstRowIndex(i) + 1;
      Statistics.Builder b = Statistics.getBuilderForReading(chunk.getPrimitiveType());
      if (nullCounts != null) {
        b.withNumNulls(nullCounts.get(i));
      } else if (nullPages.get(i)) {
        b.withNumNulls(rows);
      }
      if (!nullPages.get(i)) {
        b.withMin(bytes(mins.get(i))).withMax(bytes(maxes.get(i)));
      }
      Statistics<?> stats;
      try {
        stats = b.build();
      } catch (RuntimeException e) {
        throw corrupt(c, "page " + i + " has min/max values that do not decode: " + e);
      }
      if (nullPages.get(i) ? pageOfNullsMightMatch(p) : RowGroupPruner.mightMatch(p, c, stats, rows)) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A page of only NULLs matches IS NULL and nothing else. */
  private static boolean pageOfNullsMightMatch(ColumnPredicate p) {
    return p.op() == ColumnPredicate.Op.IS_NULL;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private ColumnIndex columnIndex(ColumnChunkMetaData chunk, ParquetColumn c) {
    if (columnIndexes.containsKey(c)) {
      return columnIndexes.get(c);
    }
    try {
      ColumnIndex index = reader.readColumnIndex(chunk);
      columnIndexes.put(c, index);
      return index;
    } catch (IOException | RuntimeException e) {
      throw KilnException.io("cannot read the column index of " + where + ", column " + c.name
          + " (truncated or corrupt file?): " + e, e);
    }
  }

  private OffsetIndex offsetIndex(ColumnChunkMetaData chunk, ParquetColumn c) {
    OffsetIndex known = offsetIndexes.get(c);
    if (known != null) {
      return known;
    }
    OffsetIndex offsets;
    try {
      offsets = reader.readOffsetIndex(chunk);
    } catch (IOException | RuntimeException e) {
      throw KilnException.io("cannot read the offset index of " + where + ", column " + c.name
          + " (truncated or corrupt file?): " + e, e);
    }
    if (offsets == null || offsets.getPageCount() == 0) {
      throw corrupt(c, "the offset index lists no pages");
    }
    long previous = -1;
    for (int i = 0; i < offsets.getPageCount(); i++) {
      long first = offsets.getFirstRowIndex(i);
      if ((i == 0 && first != 0) || first <= previous || first >= block.getRowCount()) {
        throw corrupt(c, "the offset index puts page " + i + " at row " + first + " (row group of "
            + block.getRowCount() + " rows)");
      }
      previous = first;
    }
    offsetIndexes.put(c, offsets);
    return offsets;
  }

  private KilnException corrupt(ParquetColumn c, String what) {
    return KilnException.io("cannot use the page index of " + where + ", column " + c.name + ": " + what
        + " (corrupt file?)", null);
  }
}
