package io.kiln.physical.agg;

import io.kiln.data.Batch;
import io.kiln.physical.expr.Evaluator;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * The two per-row arguments of arg_min/arg_max as one struct vector of (value, by), so that such a
 * call reaches its {@link ArgMinMaxState} through the one argument vector every aggregate state takes.
 */
public final class ArgumentPairEvaluator implements Evaluator {
  private final Evaluator value;
  private final Evaluator by;

  public ArgumentPairEvaluator(Evaluator value, Evaluator by) {
    this.value = value;
    this.by = by;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    StructVector pair = StructVector.empty("pair", allocator);
    try (ValueVector v = value.evaluate(batch, allocator); ValueVector b = by.evaluate(batch, allocator)) {
      moveInto(pair, "value", v);
      moveInto(pair, "by", b);
      int n = batch.rowCount();
      for (int i = 0; i < n; i++) {
        pair.setIndexDefined(i);
      }
      pair.setValueCount(n);
      return pair;
    } catch (RuntimeException e) {
      pair.close();
      throw e;
    }
  }

  private static void moveInto(StructVector pair, String name, ValueVector v) {
    FieldVector child = pair.addOrGet(name, v.getField().getFieldType(), FieldVector.class);
    v.makeTransferPair(child).transfer();
  }

  /** The value's type (the struct has no engine type of its own). */
  @Override
  public DataType type() {
    return value.type();
  }
}
