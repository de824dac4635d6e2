package io.kiln.data;

import java.util.Arrays;
import org.apache.arrow.vector.ValueVector;

/**
 * A slice of rows held column by column in Arrow vectors of the engine's physical kinds (see
 * {@link io.kiln.types.PhysicalKind}). A batch owns its vectors: whoever holds it closes it once.
 * A scan may attach its columns' {@link DictionaryIds}; a new batch made from this one has none.
 */
public final class Batch implements AutoCloseable {
  private final ValueVector[] columns;
  private final int rowCount;
  /** Per column, its rows' dictionary ids or null; null when no column has them. */
  private final DictionaryIds[] dictionaryIds;

  public Batch(ValueVector[] columns, int rowCount) {
    this(columns, rowCount, null);
  }

  /** A batch whose column i has the dictionary ids {@code dictionaryIds[i]} (null: none); the array may be null. */
  public Batch(ValueVector[] columns, int rowCount, DictionaryIds[] dictionaryIds) {
    this.columns = columns;
    this.rowCount = rowCount;
    for (ValueVector v : columns) {
      v.setValueCount(rowCount);
    }
    if (dictionaryIds != null) {
      if (dictionaryIds.length != columns.length) {
        throw new IllegalArgumentException(dictionaryIds.length + " columns of dictionary ids for " + columns.length
            + " columns");
      }
      for (DictionaryIds d : dictionaryIds) {
        if (d != null && d.ids().length < rowCount) {
          throw new IllegalArgumentException(d.ids().length + " dictionary ids for " + rowCount + " rows");
        }
      }
    }
    this.dictionaryIds = dictionaryIds;
  }

  /** The dictionary ids of column i's rows, or null when the batch's maker did not attach them. */
  public DictionaryIds dictionaryIds(int i) {
    return dictionaryIds == null ? null : dictionaryIds[i];
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
