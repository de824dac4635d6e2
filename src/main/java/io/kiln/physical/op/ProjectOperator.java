package io.kiln.physical.op;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Operator;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.expr.Evaluator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** Computes the output columns from the input batch. */
public final class ProjectOperator implements Operator {
  private final List<Evaluator> exprs;
  private final BufferAllocator allocator;

  ProjectOperator(List<Evaluator> exprs, BufferAllocator allocator) {
    this.exprs = exprs;
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
    try (Batch input = in) {
      ValueVector[] out = new ValueVector[exprs.size()];
      try {
        for (int i = 0; i < out.length; i++) {
          out[i] = exprs.get(i).evaluate(input, allocator);
        }
      } catch (RuntimeException e) {
        Batches.closeAll(out);
        throw e;
      }
      return new Batch(out, input.rowCount());
    }
  }

  public static OperatorFactory factory(int nodeId, List<Evaluator> exprs, List<? extends io.kiln.logical.Expr> logical,
      List<io.kiln.logical.ColumnRef> input, String shown) {
    io.kiln.physical.FusionSpec spec = new io.kiln.physical.FusionSpec.Project(List.copyOf(logical), input);
    return new OperatorFactory() {
      @Override
      public io.kiln.physical.FusionSpec fusion() {
        return spec;
      }

      @Override
      public Operator create(ExecContext ctx) {
        return new ProjectOperator(exprs, ctx.allocator());
      }

      @Override
      public int nodeId() {
        return nodeId;
      }

      @Override
      public String describe() {
        return "Project " + shown;
      }
    };
  }
}
