package io.kiln.physical.expr;

import io.kiln.data.Batch;
import io.kiln.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/**
 * Interpreted, vectorized evaluation of one expression over a batch. The result is a new vector of
 * the batch's row count that the caller owns and must close.
 */
public interface Evaluator {
  ValueVector evaluate(Batch batch, BufferAllocator allocator);

  DataType type();

  /** The input column this evaluator reads as it is (a column reference), or -1. */
  default int inputColumn() {
    return -1;
  }
}
