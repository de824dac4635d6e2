package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.physical.expr.Bytes;
import java.util.Comparator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/** Compares rows of one batch by sort keys (column, direction, null placement). */
final class RowComparator implements Comparator<Integer> {
  private final ValueVector[] columns;
  private final boolean[] ascending;
  private final boolean[] nullsFirst;

  RowComparator(Batch batch, int[] keyColumns, boolean[] ascending, boolean[] nullsFirst) {
    this.columns = new ValueVector[keyColumns.length];
    for (int i = 0; i < keyColumns.length; i++) {
      columns[i] = batch.column(keyColumns[i]);
    }
    this.ascending = ascending;
    this.nullsFirst = nullsFirst;
  }

  @Override
  public int compare(Integer x, Integer y) {
    int a = x;
    int b = y;
    for (int k = 0; k < columns.length; k++) {
      ValueVector v = columns[k];
      boolean an = v.isNull(a);
      boolean bn = v.isNull(b);
      int c;
      if (an || bn) {
        if (an && bn) {
          continue;
        }
        // Null placement is independent of the direction.
        return an == nullsFirst[k] ? -1 : 1;
      }
      if (v instanceof BigIntVector) {
        c = Long.compare(((BigIntVector) v).get(a), ((BigIntVector) v).get(b));
      } else if (v instanceof Float8Vector) {
        c = Double.compare(((Float8Vector) v).get(a), ((Float8Vector) v).get(b));
      } else if (v instanceof VarCharVector) {
        c = Bytes.compare((VarCharVector) v, a, (VarCharVector) v, b);
      } else {
        c = Integer.compare(((BitVector) v).get(a), ((BitVector) v).get(b));
      }
      if (c != 0) {
        return ascending[k] ? c : -c;
      }
    }
    return 0;
  }
}
