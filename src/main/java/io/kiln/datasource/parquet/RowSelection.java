package io.kiln.datasource.parquet;

import java.util.List;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;

/**
 * The rows of one row group a scan task emits: sorted, disjoint, non-empty ranges of row indexes
 * ({@code [start, end)}, counted from the row group's first row). Every column reader walks the
 * same selection, so columns stay aligned even though their pages start at different rows.
 */
final class RowSelection {
  private final long[] starts;
  private final long[] ends;
  private final long rowCount;

  private RowSelection(long[] starts, long[] ends) {
    this.starts = starts;
    this.ends = ends;
    long n = 0;
    for (int i = 0; i < starts.length; i++) {
      n += ends[i] - starts[i];
    }
    this.rowCount = n;
  }

  /** Every row of a row group of {@code rows} rows. */
  static RowSelection all(long rows) {
    return new RowSelection(new long[] {0}, new long[] {rows});
  }

  /** parquet-column's ranges (inclusive ends) as a selection. */
  static RowSelection of(RowRanges ranges) {
    List<RowRanges.Range> list = ranges.getRanges();
    long[] starts = new long[list.size()];
    long[] ends = new long[list.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = list.get(i).from;
      ends[i] = list.get(i).to + 1;
    }
    return new RowSelection(starts, ends);
  }

  int rangeCount() {
    return starts.length;
  }

  long start(int range) {
    return starts[range];
  }

  /** Exclusive end of a range. */
  long end(int range) {
    return ends[range];
  }

  long rowCount() {
    return rowCount;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < starts.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(starts[i]).append("..").append(ends[i]);
    }
    return sb.append(')').toString();
  }
}
