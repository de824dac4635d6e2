package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.types.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/** CASE WHEN c1 THEN r1 ... ELSE e END: per row, the result of the first TRUE condition. */
final class CaseEvaluator implements Evaluator {
  private final List<Evaluator> args;
  private final DataType type;

  CaseEvaluator(List<Evaluator> args, DataType type) {
    this.args = args;
    this.type = type;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    ValueVector[] vs = new ValueVector[args.size()];
    ValueVector out = io.kiln.data.Vectors.allocate(type, "case", allocator, n);
    try {
      for (int k = 0; k < vs.length; k++) {
        vs[k] = args.get(k).evaluate(batch, allocator);
      }
      int pairs = (vs.length - 1) / 2;
      for (int i = 0; i < n; i++) {
        ValueVector chosen = vs[vs.length - 1];
        for (int p = 0; p < pairs; p++) {
          BitVector cond = (BitVector) vs[2 * p];
          if (!cond.isNull(i) && cond.get(i) == 1) {
            chosen = vs[2 * p + 1];
            break;
          }
        }
        VectorOps.write(out, i, VectorOps.read(chosen, i));
      }
      out.setValueCount(n);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    } finally {
      for (ValueVector v : vs) {
        if (v != null) {
          v.close();
        }
      }
    }
  }

  @Override
  public DataType type() {
    return type;
  }
}
