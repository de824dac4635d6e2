package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.logical.Function;
import io.kiln.logical.ScalarFunctions;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** Evaluates a {@link ScalarFunctions} function row by row; constant arguments are read once. */
final class RowFunctionEvaluator implements Evaluator {
  private final Function function;
  private final List<Evaluator> args;
  private final List<DataType> argTypes;
  private final DataType type;

  RowFunctionEvaluator(Function function, List<Evaluator> args, DataType type) {
    this.function = function;
    this.args = args;
    this.type = type;
    this.argTypes = new ArrayList<>();
    for (Evaluator a : args) {
      argTypes.add(a.type());
    }
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    int k = args.size();
    ValueVector[] vs = new ValueVector[k];
    Object[] constants = new Object[k];
    ValueVector out = Vectors.allocate(type, function.name(), allocator, n);
    boolean strict = !ScalarFunctions.handlesNulls(function);
    try {
      for (int j = 0; j < k; j++) {
        if (args.get(j) instanceof LiteralEvaluator) {
          constants[j] = ((LiteralEvaluator) args.get(j)).value();
        } else {
          vs[j] = args.get(j).evaluate(batch, allocator);
        }
      }
      Object[] row = new Object[k];
      rows:
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          row[j] = vs[j] == null ? constants[j] : VectorOps.read(vs[j], i);
          if (strict && row[j] == null) {
            continue rows;
          }
        }
        VectorOps.write(out, i, ScalarFunctions.apply(function, row, argTypes, type));
      }
      out.setValueCount(n);
      return out;
    } catch (ArithmeticException e) {
      out.close();
      throw io.kiln.error.KilnException.execution("numeric overflow in " + function.symbol());
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
