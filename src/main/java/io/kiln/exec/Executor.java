package io.kiln.exec;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanTask;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.Pipeline;
import io.kiln.physical.PipelineBody;
import io.kiln.physical.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * Morsel-driven execution of pipelines into one sink: every worker thread takes the next morsel,
 * pushes its batches through its own operator instances into its own sink-local state, and merges
 * that state into the sink when no morsels are left.
 */
public final class Executor {
  private Executor() {}

  private static final class Work {
    final int pipeline;
    final ScanTask task;

    Work(int pipeline, ScanTask task) {
      this.pipeline = pipeline;
      this.task = task;
    }
  }

  public static void run(List<Pipeline> pipelines, Sink sink, ExecContext ctx) {
    ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    List<ScanTask> planned = new ArrayList<>();
    Throwable failure = null;
    try {
      runAll(pipelines, sink, ctx, queue, planned);
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      closeAll(planned, failure);
    }
  }

  private static void runAll(List<Pipeline> pipelines, Sink sink, ExecContext ctx, ConcurrentLinkedQueue<Work> queue,
      List<ScanTask> planned) {
    int morsels = 0;
    long[] inputRows = new long[pipelines.size()];
    for (int p = 0; p < pipelines.size(); p++) {
      Pipeline pipeline = pipelines.get(p);
      try {
        for (ScanTask t : pipeline.source().tasks(ctx)) {
          planned.add(t);
          queue.add(new Work(p, t));
          morsels++;
          long rows = t.estimatedRows();
          inputRows[p] = rows < 0 || inputRows[p] < 0 ? -1 : inputRows[p] + rows;
        }
      } catch (OutOfMemoryException e) {
        throw outOfMemory(pipeline.source().describe(), e);
      }
      for (OperatorFactory f : pipeline.operators()) {
        try {
          f.prepare(ctx);
        } catch (OutOfMemoryException e) {
          throw outOfMemory(f.describe(), e);
        }
      }
    }
    PipelineBody.Factory[] factories = new PipelineBody.Factory[pipelines.size()];
    for (int p = 0; p < factories.length; p++) {
      factories[p] = ctx.bodies().factory(pipelines.get(p), sink, ctx, inputRows[p]);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int workers = Math.max(1, Math.min(ctx.threads(), morsels));
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      futures.add(ctx.workers().submit(() -> work(pipelines, factories, sink, ctx, queue, failure)));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ctx.cancel();
        failure.compareAndSet(null, e);
      } catch (ExecutionException e) {
        failure.compareAndSet(null, e.getCause());
      }
    }
    if (failure.get() == null) {
      try {
        finish(pipelines, factories, sink, ctx);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      queue.clear();
      throw asKilnException(t);
    }
  }

  /**
   * Closes every task once the workers are done with them, run or not (LIMIT reached, failure,
   * cancel), so what a task holds outside its run (bytes read ahead) is released before the
   * query's allocator closes. A failure to close is added to the query's failure, or thrown.
   */
  private static void closeAll(List<ScanTask> tasks, Throwable failure) {
    RuntimeException closing = null;
    for (ScanTask t : tasks) {
      try {
        t.close();
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (closing == null) {
          closing = e;
        } else {
          closing.addSuppressed(e);
        }
      }
    }
    if (closing != null) {
      throw closing;
    }
  }

  private static void work(List<Pipeline> pipelines, PipelineBody.Factory[] factories, Sink sink, ExecContext ctx,
      ConcurrentLinkedQueue<Work> queue, AtomicReference<Throwable> failure) {
    PipelineBody[] bodies = new PipelineBody[pipelines.size()];
    try (Sink.Local local = sink.newLocal(ctx)) {
      Work w;
      while (failure.get() == null && !ctx.isCancelled() && !sink.isDone() && (w = queue.poll()) != null) {
        if (bodies[w.pipeline] == null) {
          bodies[w.pipeline] = factories[w.pipeline].create(ctx);
        }
        PipelineBody body = bodies[w.pipeline];
        Pipeline pipeline = pipelines.get(w.pipeline);
        LongAdder sourceRows = ctx.rowCounts().counter(pipeline.source());
        try {
          w.task.run(ctx.allocator(), batch -> {
            sourceRows.add(batch.rowCount());
            body.push(batch, local);
          },
              () -> failure.get() != null || ctx.isCancelled() || sink.isDone());
        } catch (OutOfMemoryException e) {
          throw outOfMemory(pipeline.source().describe(), e);
        }
      }
      if (failure.get() == null) {
        synchronized (sink) {
          sink.merge(local);
        }
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** The memory limit error, naming the operator that hit it. */
  public static KilnException outOfMemory(String where, OutOfMemoryException e) {
    return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded in " + where + ": "
        + e.getMessage() + " (raise it with memoryLimit / --memory-limit)", e);
  }

  /** Operators that owe output after the last batch (outer joins) emit it now, on one thread. */
  private static void finish(List<Pipeline> pipelines, PipelineBody.Factory[] factories, Sink sink, ExecContext ctx) {
    for (int p = 0; p < pipelines.size(); p++) {
      boolean any = false;
      for (OperatorFactory f : pipelines.get(p).operators()) {
        any |= f instanceof FinishingOperatorFactory;
      }
      if (!any) {
        continue;
      }
      PipelineBody body = factories[p].create(ctx);
      try (Sink.Local local = sink.newLocal(ctx)) {
        body.finish(local);
        synchronized (sink) {
          sink.merge(local);
        }
      }
    }
  }

  static RuntimeException asKilnException(Throwable t) {
    if (t instanceof KilnException) {
      return (KilnException) t;
    }
    if (t instanceof OutOfMemoryException) {
      return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded: " + t.getMessage()
          + " (raise it with memoryLimit / --memory-limit)", t);
    }
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new KilnException(KilnException.Kind.EXECUTION, t.toString(), t);
  }

  /** Marker: the factory's operators emit rows in {@link io.kiln.physical.Operator#finish()}. */
  public interface FinishingOperatorFactory extends OperatorFactory {}
}
