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

/** Keeps rows whose predicate is TRUE, compacting them into a new batch (with their dictionary ids, if any). */
public final class FilterOperator implements Operator {
  private final Evaluator predicate;
  private final BufferAllocator allocator;
  private int[] selection = new int[0];

  FilterOperator(Evaluator predicate, BufferAllocator allocator) {
    this.predicate = predicate;
    this.allocator = allocator;
  }

  @Override
  public void process(Batch in, java.util.function.Consumer<Batch> out) {
    Batch b = apply(in);
    if (b != null) {
      out.accept(b);
    }
  }

  private Batch apply(Batch in) {
    int n = in.rowCount();
    int k;
    try (BitVector keep = (BitVector) predicate.evaluate(in, allocator)) {
      if (selection.length < n) {
        selection = new int[n];
      }
      k = Batches.selected(keep, n, selection);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
    if (k == n) {
      return in; // every row passes (Q1 keeps 98%): hand the batch on without copying it
    }
    try (Batch input = in) {
      // The rows keep their dictionary ids: an aggregation after the filter may group by them.
      return k == 0 ? null : Batches.gatherKeepingIds(input, selection, k, allocator);
    }
  }

  public static OperatorFactory factory(int nodeId, Evaluator predicate, Expr condition, java.util.List<io.kiln.logical.ColumnRef> input) {
    io.kiln.physical.FusionSpec spec = new io.kiln.physical.FusionSpec.Filter(condition, input);
    return new OperatorFactory() {
      @Override
      public io.kiln.physical.FusionSpec fusion() {
        return spec;
      }

      @Override
      public Operator create(ExecContext ctx) {
        return new FilterOperator(predicate, ctx.allocator());
      }

      @Override
      public int nodeId() {
        return nodeId;
      }

      @Override
      public String describe() {
        return "Filter " + condition;
      }
    };
  }
}
