package io.kiln.physical.sink;

import io.kiln.data.Batch;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A top-N worker's cut-off row (its worst kept row once it holds enough), with its sort keys read
 * out for generated code: a compiled pipeline compares each row's keys against them in its row
 * loop and never writes the rows that cannot be in the result. Valid while the worker keeps this
 * cut-off (until its next push).
 */
public final class CutoffRow {
  private final ValueVector[] keys;

  CutoffRow(Batch row, int[] keyColumns) {
    this.keys = RowComparator.keys(row, keyColumns);
  }

  public boolean isNull(int k) {
    return keys[k].isNull(0);
  }

  public long longKey(int k) {
    return ((BigIntVector) keys[k]).get(0);
  }

  public double doubleKey(int k) {
    return ((Float8Vector) keys[k]).get(0);
  }

  public boolean booleanKey(int k) {
    return ((BitVector) keys[k]).get(0) != 0;
  }

  /** The address of sort key {@code k}'s string bytes. */
  public long address(int k) {
    VarCharVector v = (VarCharVector) keys[k];
    return v.getDataBuffer().memoryAddress() + v.getStartOffset(0);
  }

  public int length(int k) {
    VarCharVector v = (VarCharVector) keys[k];
    return v.getEndOffset(0) - v.getStartOffset(0);
  }
}
