package io.kiln.physical;

import io.kiln.catalog.ScanTask;
import io.kiln.exec.ExecContext;
import io.kiln.exec.PipelineTask;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * A pipeline of a query's DAG: its id, the pipelines it waits for, and the sink it feeds. When it
 * starts, its source's morsels are planned and, knowing their size, the one place that chooses
 * between interpreted and compiled code ({@link PipelineBodies}) makes its bodies.
 */
public final class BoundPipeline implements PipelineTask {
  private final int id;
  private final Pipeline pipeline;
  private final SinkTarget target;
  private final PipelineBodies bodies;
  /** Made when the pipeline starts. */
  private volatile PipelineBody.Factory bodyFactory;
  /** Time its morsels and its finish took, summed over the threads that ran them. */
  private final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();
  /** What its sink held once this pipeline's input was merged; -1 until then. */
  private volatile long sinkBytes = -1;

  BoundPipeline(int id, Pipeline pipeline, SinkTarget target, PipelineBodies bodies) {
    this.id = id;
    this.pipeline = pipeline;
    this.target = target;
    this.bodies = bodies;
  }

  @Override
  public int id() {
    return id;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Sink sink() {
    return target.sink();
  }

  @Override
  public List<BoundPipeline> dependencies() {
    List<BoundPipeline> waits = pipeline.source().waitsFor();
    if (waits.isEmpty()) {
      return pipeline.dependencies();
    }
    List<BoundPipeline> all = new java.util.ArrayList<>(pipeline.dependencies());
    for (BoundPipeline w : waits) {
      if (!all.contains(w)) {
        all.add(w);
      }
    }
    return all;
  }

  @Override
  public String describe() {
    return "pipeline " + id + " (" + pipeline.source().describe() + " into " + target.sink().describe() + ")";
  }

  /** How the pipeline's bodies were made ("interpreted", "compiled ..."), or null before it started. */
  public String mode() {
    PipelineBody.Factory f = bodyFactory;
    return f == null ? null : f.describe();
  }

  /** The generated source its bodies ran, or null if they ran interpreted or it has not started. */
  public String generatedSource() {
    PipelineBody.Factory f = bodyFactory;
    return f == null ? null : f.generatedSource();
  }

  /** Bytes its sink held once this pipeline's input was all merged (EXPLAIN ANALYZE), or -1 before. */
  public long sinkBytes() {
    return sinkBytes;
  }

  /** Milliseconds its morsels and finish took, summed over threads (EXPLAIN ANALYZE). */
  public double millis() {
    return nanos.sum() / 1e6;
  }

  @Override
  public List<ScanTask> start(ExecContext ctx) {
    if (pipeline.operators().stream().anyMatch(OperatorFactory::dropsEveryRow)) {
      // Nothing would come through: skip the source (a whole fact table behind an empty join).
      // Operators' rows owed at the end and the sink's finish still run.
      bodyFactory = bodies.factory(pipeline, target.sink(), ctx, 0);
      return List.of();
    }
    List<ScanTask> tasks = pipeline.source().tasks(ctx);
    long rows = 0;
    for (ScanTask t : tasks) {
      long n = t.estimatedRows();
      rows = n < 0 || rows < 0 ? -1 : rows + n;
    }
    bodyFactory = bodies.factory(pipeline, target.sink(), ctx, rows);
    return tasks;
  }

  @Override
  public Worker newWorker(ExecContext ctx) {
    Sink sink = target.sink();
    return new BodyWorker(bodyFactory.create(ctx), sink.localPerMorsel() ? null : sink.newLocal(ctx), ctx);
  }

  @Override
  public boolean satisfied() {
    return target.sink().isDone();
  }

  @Override
  public void finish(List<Worker> workers, ExecContext ctx) {
    long start = System.nanoTime();
    try {
      finishSink(workers, ctx);
    } finally {
      nanos.add(System.nanoTime() - start);
    }
  }

  private void finishSink(List<Worker> workers, ExecContext ctx) {
    Sink sink = target.sink();
    synchronized (sink) {
      for (Worker w : workers) {
        Sink.Local local = ((BodyWorker) w).local;
        if (local != null) {
          sink.merge(local);
        }
      }
    }
    runSetAside(sink, ctx);
    if (pipeline.operators().stream().anyMatch(OperatorFactory::emitsAtFinish)) {
      // Operators that owe rows after the last batch (outer joins) emit them now, on one thread.
      PipelineBody body = bodyFactory.create(ctx);
      try (Sink.Local local = sink.newLocal(ctx)) {
        body.finish(local);
        synchronized (sink) {
          sink.merge(local);
        }
      }
    }
    synchronized (sink) {
      sinkBytes = sink.heldBytes(); // before completion hands the state on (a join's table)
    }
    target.pipelineFinished(ctx);
  }

  /**
   * Input operators set aside (spilled joins) runs now, in pipeline order: what each makes goes
   * through the operators after it, interpreted, into the sink. A later operator may set aside
   * rows an earlier one's pass made, so each runs after those before it.
   */
  private void runSetAside(Sink sink, ExecContext ctx) {
    List<OperatorFactory> ops = pipeline.operators();
    for (int k = 0; k < ops.size(); k++) {
      OperatorFactory op = ops.get(k);
      if (!op.setsAside()) {
        continue;
      }
      PipelineBody rest = InterpretedBody.factory(pipeline.tail(k + 1), sink).create(ctx);
      try (Sink.Local local = sink.newLocal(ctx)) {
        op.runSetAside(ctx, batch -> rest.push(batch, local));
        synchronized (sink) {
          sink.merge(local);
        }
      }
    }
  }

  /** One worker's body and sink-local state. */
  private final class BodyWorker implements Worker {
    final PipelineBody body;
    /** The worker's sink-local state, or null where each morsel gets its own. */
    final Sink.Local local;
    final ExecContext ctx;
    final LongAdder sourceRows;

    BodyWorker(PipelineBody body, Sink.Local local, ExecContext ctx) {
      this.body = body;
      this.local = local;
      this.ctx = ctx;
      this.sourceRows = ctx.rowCounts().counter(pipeline.source().nodeId());
    }

    @Override
    public void run(ScanTask morsel, BooleanSupplier stop) {
      long start = System.nanoTime();
      try {
        if (local != null) {
          run(morsel, stop, local);
          return;
        }
        Sink sink = target.sink();
        try (Sink.Local own = sink.newLocal(ctx)) {
          run(morsel, stop, own);
          own.morselDone();
          synchronized (sink) {
            sink.merge(own);
          }
        }
      } finally {
        nanos.add(System.nanoTime() - start);
      }
    }

    private void run(ScanTask morsel, BooleanSupplier stop, Sink.Local into) {
      morsel.run(ctx.allocator(), batch -> {
        sourceRows.add(batch.rowCount());
        body.push(batch, into);
      }, stop);
    }

    @Override
    public void close() {
      if (local != null) {
        local.close();
      }
    }
  }
}
