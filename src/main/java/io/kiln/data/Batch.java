package io.kiln.data;

import java.util.Arrays;
import org.apache.arrow.vector.ValueVector;

/**
 * A slice of rows held column by column in Arrow vectors of the engine's physical kinds (see
 * {@link io.kiln.types.PhysicalKind}). A batch owns its vectors: whoever holds it closes it once.
 */
public final class Batch implements AutoCloseable {
  private final ValueVector[] columns;
  private final int rowCount;

  public Batch(ValueVector[] columns, int rowCount) {
    this.columns = columns;
    this.rowCount = rowCount;
    for (ValueVector v : columns) {
      v.setValueCount(rowCount);
    }
  }

  public int rowCount() {
    return rowCount;
  }

  public int columnCount() {
    return columns.length;
  }

  public ValueVector column(int i) {
    return columns[i];
  }

  public ValueVector[] columns() {
    return columns;
  }

  @Override
  public void close() {
    for (ValueVector v : columns) {
      v.close();
    }
  }

  @Override
  public String toString() {
    return "Batch[" + rowCount + " rows, " + Arrays.toString(columns) + "]";
  }
}
