package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.data.Bytes;
import java.util.Comparator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** Compares rows by sort keys (column, direction, null placement), within one batch or across two. */
public final class RowComparator implements Comparator<Integer> {
  private final ValueVector[] columns;
  private final boolean[] ascending;
  private final boolean[] nullsFirst;

  public RowComparator(Batch batch, int[] keyColumns, boolean[] ascending, boolean[] nullsFirst) {
    this.columns = keys(batch, keyColumns);
    this.ascending = ascending;
    this.nullsFirst = nullsFirst;
  }

  static ValueVector[] keys(Batch batch, int[] keyColumns) {
    ValueVector[] columns = new ValueVector[keyColumns.length];
    for (int i = 0; i < keyColumns.length; i++) {
      columns[i] = batch.column(keyColumns[i]);
    }
    return columns;
  }

  @Override
  public int compare(Integer x, Integer y) {
    return compare(columns, x, columns, y);
  }

  /** Rows {@code x} and {@code y} of this batch, unboxed (for sorts over {@code int[]}). */
  public int compareRows(int x, int y) {
    return compare(columns, x, columns, y);
  }

  /** Row {@code a} of another batch's key columns {@code left} against this batch's row {@code b}. */
  int compareTo(ValueVector[] left, int a, int b) {
    return compare(left, a, columns, b);
  }

  private int compare(ValueVector[] left, int a, ValueVector[] right, int b) {
    for (int k = 0; k < left.length; k++) {
      ValueVector v = left[k];
      ValueVector w = right[k];
      boolean an = v.isNull(a);
      boolean bn = w.isNull(b);
      int c;
      if (an || bn) {
        if (an && bn) {
          continue;
        }
        // Null placement is independent of the direction.
        return an == nullsFirst[k] ? -1 : 1;
      }
      if (v instanceof BigIntVector) {
        c = Long.compare(((BigIntVector) v).get(a), ((BigIntVector) w).get(b));
      } else if (v instanceof Float8Vector) {
        c = Double.compare(((Float8Vector) v).get(a), ((Float8Vector) w).get(b));
      } else if (v instanceof VarCharVector) {
        c = Bytes.compare((VarCharVector) v, a, (VarCharVector) w, b);
      } else {
        c = Integer.compare(((BitVector) v).get(a), ((BitVector) w).get(b));
      }
      if (c != 0) {
        return ascending[k] ? c : -c;
      }
    }
    return 0;
  }
}
