package io.kiln.catalog;

import java.util.Objects;

/**
 * One morsel of a scan as plain data: what a scheduler hands a worker, which asks its own copy of
 * the table to {@linkplain TableProvider#open open} it. Which unit of the table it reads:
 * {@code location} (the file or object, a local path or {@code s3://} URI; for tables not made of
 * files the provider's own name for itself), {@code rowGroup} (a Parquet row group; for other
 * providers their morsel: a batch of a memory table, 0 for a CSV file), and the rows
 * {@code [firstRow, firstRow + rowCount)} of that unit (all of them when it is not sliced;
 * {@code rowCount} is {@link #ALL_ROWS} where the unit's length is not known before reading it).
 * {@code estimatedRows} is for progress and planning only (-1: unknown).
 */
public record ScanTaskDescriptor(String location, int rowGroup, long firstRow, long rowCount, long estimatedRows) {
  /** Every row of the unit, however many it has (a CSV file is not counted before it is read). */
  public static final long ALL_ROWS = -1;

  public ScanTaskDescriptor {
    Objects.requireNonNull(location, "location");
    if (rowGroup < 0 || firstRow < 0 || (rowCount < 0 && rowCount != ALL_ROWS)) {
      throw new IllegalArgumentException("bad scan task: row group " + rowGroup + ", first row " + firstRow
          + ", row count " + rowCount);
    }
  }

  /** Whether the rows end where the unit ends, however long it is. */
  public boolean toTheEnd() {
    return rowCount == ALL_ROWS;
  }

  @Override
  public String toString() {
    return location + "#" + rowGroup + (firstRow == 0 && toTheEnd() ? "" : "[" + firstRow + "+"
        + (toTheEnd() ? "all" : Long.toString(rowCount)) + "]");
  }
}
