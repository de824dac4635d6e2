package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.exec.DagExecutor;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.OutOfMemoryException;

/** The interpreted pipeline: each operator in turn evaluates its expressions a whole batch at a time. */
public final class InterpretedBody implements PipelineBody {
  private final Pipeline pipeline;
  private final Operator[] chain;
  /** Rows out of each operator of the chain. */
  private final LongAdder[] rowsOut;
  private final String sinkName;

  private InterpretedBody(Pipeline pipeline, ExecContext ctx, String sinkName) {
    this.pipeline = pipeline;
    this.sinkName = sinkName;
    this.chain = new Operator[pipeline.operators().size()];
    this.rowsOut = new LongAdder[chain.length];
    for (int i = 0; i < chain.length; i++) {
      chain[i] = pipeline.operators().get(i).create(ctx);
      rowsOut[i] = ctx.rowCounts().counter(pipeline.operators().get(i).nodeId());
    }
  }

  public static PipelineBody.Factory factory(Pipeline pipeline, Sink sink) {
    return new PipelineBody.Factory() {
      @Override
      public PipelineBody create(ExecContext ctx) {
        return new InterpretedBody(pipeline, ctx, sink.describe());
      }

      @Override
      public String describe() {
        return "interpreted";
      }
    };
  }

  @Override
  public void push(Batch batch, Sink.Local local) {
    push(0, batch, local);
  }

  /** Runs the batch through operators {@code from} onwards, each output batch on as it is made, then into the sink. */
  private void push(int from, Batch batch, Sink.Local local) {
    if (from == chain.length) {
      try {
        local.push(batch);
      } catch (OutOfMemoryException e) {
        throw DagExecutor.outOfMemory(sinkName, e);
      }
      return;
    }
    LongAdder counted = rowsOut[from];
    try {
      chain[from].process(batch, out -> {
        counted.add(out.rowCount());
        push(from + 1, out, local);
      });
    } catch (OutOfMemoryException e) {
      // what runs after this operator names itself: only this operator's own failures reach here
      throw DagExecutor.outOfMemory(pipeline.operators().get(from).describe(), e);
    }
  }

  @Override
  public void finish(Sink.Local local) {
    for (int i = 0; i < chain.length; i++) {
      Batch extra = chain[i].finish();
      if (extra != null) {
        rowsOut[i].add(extra.rowCount());
        push(i + 1, extra, local);
      }
    }
  }
}
