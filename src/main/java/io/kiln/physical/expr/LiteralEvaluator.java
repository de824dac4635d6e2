package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** A constant repeated for every row. */
final class LiteralEvaluator implements Evaluator {
  private final Object value;
  private final DataType type;

  LiteralEvaluator(Object value, DataType type) {
    this.value = value;
    this.type = type;
  }

  Object value() {
    return value;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    int n = batch.rowCount();
    ValueVector v = io.kiln.data.Vectors.allocate(type, "literal", allocator, n);
    if (value != null) {
      for (int i = 0; i < n; i++) {
        VectorOps.write(v, i, value);
      }
    }
    v.setValueCount(n);
    return v;
  }

  @Override
  public DataType type() {
    return type;
  }
}
