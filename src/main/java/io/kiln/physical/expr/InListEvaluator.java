package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.types.DataType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/**
 * value IN (list) with SQL's NULL rules: TRUE on a match, NULL when there is no match but the
 * value or some list element is NULL, else FALSE. Constant lists become a hash set.
 */
final class InListEvaluator implements Evaluator {
  private final Evaluator value;
  private final List<Evaluator> items;
  private final Set<Object> constants;
  private final boolean listHasNull;

  InListEvaluator(Evaluator value, List<Evaluator> items) {
    this.value = value;
    this.items = items;
    boolean allConstant = true;
    boolean hasNull = false;
    Set<Object> set = new HashSet<>();
    for (Evaluator e : items) {
      if (e instanceof LiteralEvaluator) {
        Object v = ((LiteralEvaluator) e).value();
        if (v == null) {
          hasNull = true;
        } else {
          set.add(v);
        }
      } else {
        allConstant = false;
      }
    }
    this.constants = allConstant ? set : null;
    this.listHasNull = hasNull;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    BitVector out = new BitVector("in", allocator);
    out.allocateNew(Math.max(n, 1));
    try (ValueVector v = value.evaluate(batch, allocator)) {
      if (constants != null) {
        for (int i = 0; i < n; i++) {
          Object x = VectorOps.read(v, i);
          if (x == null) {
            continue;
          }
          if (constants.contains(x)) {
            out.set(i, 1);
          } else if (!listHasNull) {
            out.set(i, 0);
          }
        }
      } else {
        ValueVector[] vs = new ValueVector[items.size()];
        try {
          for (int k = 0; k < vs.length; k++) {
            vs[k] = items.get(k).evaluate(batch, allocator);
          }
          for (int i = 0; i < n; i++) {
            Object x = VectorOps.read(v, i);
            if (x == null) {
              continue;
            }
            boolean sawNull = false;
            boolean match = false;
            for (ValueVector item : vs) {
              Object y = VectorOps.read(item, i);
              if (y == null) {
                sawNull = true;
              } else if (y.equals(x)) {
                match = true;
                break;
              }
            }
            if (match) {
              out.set(i, 1);
            } else if (!sawNull) {
              out.set(i, 0);
            }
          }
        } finally {
          for (ValueVector item : vs) {
            if (item != null) {
              item.close();
            }
          }
        }
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    out.setValueCount(n);
    return out;
  }

  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }
}
