package io.kiln.physical.expr;

import io.kiln.catalog.ScalarUdf;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** Calls a user's scalar function row by row; constant arguments are read once. */
final class UdfEvaluator implements Evaluator {
  private final ScalarUdf function;
  private final List<Evaluator> args;

  UdfEvaluator(ScalarUdf function, List<Evaluator> args) {
    function.requireRegistered(); // fail before the first batch, also when there is none
    this.function = function;
    this.args = args;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    int k = args.size();
    ValueVector[] vs = new ValueVector[k];
    Object[] constants = new Object[k];
    ValueVector out = Vectors.allocate(function.returnType(), function.name(), allocator, n);
    try {
      for (int j = 0; j < k; j++) {
        if (args.get(j) instanceof LiteralEvaluator) {
          constants[j] = ((LiteralEvaluator) args.get(j)).value();
        } else {
          vs[j] = args.get(j).evaluate(batch, allocator);
        }
      }
      Object[] row = new Object[k]; // invoke copies what it hands the user
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          row[j] = vs[j] == null ? constants[j] : VectorOps.read(vs[j], i);
        }
        VectorOps.write(out, i, function.invoke(row));
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
    return function.returnType();
  }
}
