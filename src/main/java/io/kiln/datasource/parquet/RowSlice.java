package io.kiln.datasource.parquet;

import java.util.stream.IntStream;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;

/** Rows {@code [start, end)} of a row group (counted from its first row) that one morsel reads. */
record RowSlice(long start, long end) {
  RowSlice {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad row slice [" + start + ", " + end + ")");
    }
  }

  long rows() {
    return end - start;
  }

  boolean isWhole(long rowGroupRows) {
    return start == 0 && end == rowGroupRows;
  }

  /**
   * The slice as parquet-column's ranges. RowRanges has no public constructor for one arbitrary
   * range; it is built from a one-page offset index whose page spans the slice.
   */
  RowRanges asRowRanges(long rowGroupRows) {
    OffsetIndex onePage = new OffsetIndex() {
      @Override
      public int getPageCount() {
        return 1;
      }

      @Override
      public long getOffset(int page) {
        return 0;
      }

      @Override
      public int getCompressedPageSize(int page) {
        return 0;
      }

      @Override
      public long getFirstRowIndex(int page) {
        return start;
      }

      @Override
      public long getLastRowIndex(int page, long rowCount) {
        return end - 1;
      }
    };
    return RowRanges.create(rowGroupRows, IntStream.of(0).iterator(), onePage);
  }

  @Override
  public String toString() {
    return "rows " + start + ".." + end;
  }
}
