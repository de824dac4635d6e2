package io.kiln.datasource.parquet;

import org.apache.arrow.vector.ValueVector;

/** Fills vectors with a column chunk's values, batch after batch. */
interface ColumnValues {
  /** Reads the next {@code n} values into rows 0..n-1 of {@code out} (allocated for n rows). */
  void read(ValueVector out, int n);
}
