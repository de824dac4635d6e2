package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** Reads an input column (shares its buffers, no copy). */
final class ColumnEvaluator implements Evaluator {
  private final int index;
  private final DataType type;

  ColumnEvaluator(int index, DataType type) {
    this.index = index;
    this.type = type;
  }

  @Override
  public ValueVector evaluate(Batch batch, BufferAllocator allocator) {
    return VectorOps.share(batch.column(index), allocator);
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public int inputColumn() {
    return index;
  }
}
