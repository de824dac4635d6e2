package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.logical.Function;
import io.kiln.types.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/** AND, OR, NOT, IS [NOT] NULL with SQL's three-valued logic. */
final class BooleanEvaluator implements Evaluator {
  private final Function op;
  private final List<Evaluator> args;

  BooleanEvaluator(Function op, List<Evaluator> args) {
    this.op = op;
    this.args = args;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    BitVector out = new BitVector(op.name(), allocator);
    out.allocateNew(Math.max(n, 1));
    try {
      switch (op) {
        case IS_NULL:
        case IS_NOT_NULL:
          try (ValueVector a = args.get(0).evaluate(batch, allocator)) {
            boolean wantNull = op == Function.IS_NULL;
            for (int i = 0; i < n; i++) {
              out.set(i, a.isNull(i) == wantNull ? 1 : 0);
            }
          }
          break;
        case NOT:
          try (BitVector a = (BitVector) args.get(0).evaluate(batch, allocator)) {
            for (int i = 0; i < n; i++) {
              if (!a.isNull(i)) {
                out.set(i, 1 - a.get(i));
              }
            }
          }
          break;
        case AND:
        case OR:
          try (BitVector a = (BitVector) args.get(0).evaluate(batch, allocator);
              BitVector b = (BitVector) args.get(1).evaluate(batch, allocator)) {
            int dominant = op == Function.AND ? 0 : 1;
            for (int i = 0; i < n; i++) {
              boolean an = a.isNull(i);
              boolean bn = b.isNull(i);
              int av = an ? -1 : a.get(i);
              int bv = bn ? -1 : b.get(i);
              if (av == dominant || bv == dominant) {
                out.set(i, dominant);
              } else if (!an && !bn) {
                out.set(i, 1 - dominant);
              }
            }
          }
          break;
        default:
          throw new IllegalStateException(op.name());
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
