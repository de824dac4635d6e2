package io.kiln.exec;

import io.kiln.KilnException;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.physical.Operator;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.Pipeline;
import io.kiln.physical.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
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
    int morsels = 0;
    for (int p = 0; p < pipelines.size(); p++) {
      Pipeline pipeline = pipelines.get(p);
      try {
        for (ScanTask t : pipeline.source().tasks(ctx)) {
          queue.add(new Work(p, t));
          morsels++;
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
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int workers = Math.max(1, Math.min(ctx.threads(), morsels));
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      futures.add(ctx.workers().submit(() -> work(pipelines, sink, ctx, queue, failure)));
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
        finish(pipelines, sink, ctx);
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

  private static void work(List<Pipeline> pipelines, Sink sink, ExecContext ctx, ConcurrentLinkedQueue<Work> queue,
      AtomicReference<Throwable> failure) {
    Operator[][] chains = new Operator[pipelines.size()][];
    try (Sink.Local local = sink.newLocal(ctx)) {
      Work w;
      while (failure.get() == null && !ctx.isCancelled() && !sink.isDone() && (w = queue.poll()) != null) {
        if (chains[w.pipeline] == null) {
          chains[w.pipeline] = instantiate(pipelines.get(w.pipeline), ctx);
        }
        Operator[] chain = chains[w.pipeline];
        Pipeline pipeline = pipelines.get(w.pipeline);
        try {
          w.task.run(ctx.allocator(), batch -> push(pipeline, chain, 0, batch, local, sink),
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

  private static Operator[] instantiate(Pipeline p, ExecContext ctx) {
    Operator[] chain = new Operator[p.operators().size()];
    for (int i = 0; i < chain.length; i++) {
      chain[i] = p.operators().get(i).create(ctx);
    }
    return chain;
  }

  static void push(Pipeline pipeline, Operator[] chain, int from, Batch batch, Sink.Local local, Sink sink) {
    Batch b = batch;
    int i = from;
    try {
      for (; i < chain.length && b != null; i++) {
        b = chain[i].process(b);
      }
      if (b != null) {
        local.push(b);
      }
    } catch (OutOfMemoryException e) {
      throw outOfMemory(i < chain.length ? pipeline.operators().get(i).describe() : sink.describe(), e);
    }
  }

  /** The memory limit error, naming the operator that hit it. */
  public static KilnException outOfMemory(String where, OutOfMemoryException e) {
    return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded in " + where + ": "
        + e.getMessage() + " (raise it with memoryLimit / --memory-limit)", e);
  }

  /** Operators that owe output after the last batch (outer joins) emit it now, on one thread. */
  private static void finish(List<Pipeline> pipelines, Sink sink, ExecContext ctx) {
    for (Pipeline p : pipelines) {
      boolean any = false;
      for (OperatorFactory f : p.operators()) {
        any |= f instanceof FinishingOperatorFactory;
      }
      if (!any) {
        continue;
      }
      Operator[] chain = instantiate(p, ctx);
      try (Sink.Local local = sink.newLocal(ctx)) {
        for (int i = 0; i < chain.length; i++) {
          Batch extra = chain[i].finish();
          if (extra != null) {
            push(p, chain, i + 1, extra, local, sink);
          }
        }
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

  /** Marker: the factory's operators emit rows in {@link Operator#finish()}. */
  public interface FinishingOperatorFactory extends OperatorFactory {}
}
