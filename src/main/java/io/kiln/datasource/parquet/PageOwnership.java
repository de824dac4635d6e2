package io.kiln.datasource.parquet;

import org.apache.parquet.internal.filter2.columnindex.RowRanges;

/**
 * Which of the pages a slice reads it counts in the scan metrics, so that a page read by two
 * neighbouring slices (it holds rows of both) counts once, as in an unsliced scan. A page belongs
 * to the first slice that needs it: the slice that reads it counts it unless some row of the
 * page before the slice's start is selected, which an earlier slice then read.
 */
final class PageOwnership {
  /** An unsliced row group: every page read is its own. */
  static final PageOwnership WHOLE = new PageOwnership(null, 0);

  /** The rows of the row group the scan selects, or null for all of them. */
  private final RowRanges selected;
  private final long sliceStart;

  PageOwnership(RowRanges selected, long sliceStart) {
    this.selected = selected;
    this.sliceStart = sliceStart;
  }

  /** Whether this slice counts a data page whose first row is {@code firstRow}. */
  boolean ownsPageAt(long firstRow) {
    if (firstRow >= sliceStart) {
      return true;
    }
    return selected != null && !selected.isOverlapping(firstRow, sliceStart - 1);
  }

  /** Whether this slice counts the chunk's dictionary page (every slice reads it). */
  boolean ownsDictionary() {
    return ownsPageAt(0);
  }
}
