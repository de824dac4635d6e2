package io.kiln.physical.op;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.logical.Expr;
import io.kiln.physical.Batches;
import io.kiln.physical.Operator;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.expr.Evaluator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;

/** Keeps rows whose predicate is TRUE, compacting them into a new batch. */
public final class FilterOperator implements Operator {
  private final Evaluator predicate;
  private final BufferAllocator allocator;
  private int[] selection = new int[0];

  FilterOperator(Evaluator predicate, BufferAllocator allocator) {
    this.predicate = predicate;
    this.allocator = allocator;
  }

  @Override
  public Batch process(Batch in) {
    try (Batch input = in; BitVector keep = (BitVector) predicate.evaluate(in, allocator)) {
      int n = in.rowCount();
      if (selection.length < n) {
        selection = new int[n];
      }
      int k = Batches.selected(keep, n, selection);
      if (k == 0) {
        return null;
      }
      return Batches.gather(input, selection, k, allocator);
    }
  }

  public static OperatorFactory factory(Evaluator predicate, Expr shown) {
    return new OperatorFactory() {
      @Override
      public Operator create(ExecContext ctx) {
        return new FilterOperator(predicate, ctx.allocator());
      }

      @Override
      public String describe() {
        return "Filter " + shown;
      }
    };
  }
}
