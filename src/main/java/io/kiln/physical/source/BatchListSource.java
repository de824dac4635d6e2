package io.kiln.physical.source;

import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Batches produced by an earlier step (a breaker's result, or literal rows), handed out one morsel
 * per batch. The producer runs when the pipeline starts, after the pipelines it reads from. Each batch is given away once; batches never handed out are closed with the query.
 */
public final class BatchListSource implements Source {
  private final Function<ExecContext, List<Batch>> producer;
  private final int nodeId;
  private final String shown;

  /** Batches {@code producer} makes when the pipeline starts, as the rows of plan node {@code nodeId}. */
  public BatchListSource(Function<ExecContext, List<Batch>> producer, int nodeId, String shown) {
    this.producer = producer;
    this.nodeId = nodeId;
    this.shown = shown;
  }

  @Override
  public List<ScanTask> tasks(ExecContext ctx) {
    List<Batch> batches = producer.apply(ctx);
    List<ScanTask> tasks = new ArrayList<>();
    for (Batch b : batches) {
      OnceTask t = new OnceTask(b);
      ctx.register(t);
      tasks.add(t);
    }
    return tasks;
  }

  private static final class OnceTask implements ScanTask, AutoCloseable {
    private final Batch batch;
    private final AtomicBoolean taken = new AtomicBoolean();

    OnceTask(Batch batch) {
      this.batch = batch;
    }

    @Override
    public void run(org.apache.arrow.memory.BufferAllocator allocator, java.util.function.Consumer<Batch> out,
        java.util.function.BooleanSupplier stop) {
      if (taken.compareAndSet(false, true)) {
        out.accept(batch);
      }
    }

    @Override
    public long estimatedRows() {
      return batch.rowCount();
    }

    @Override
    public void close() {
      if (taken.compareAndSet(false, true)) {
        batch.close();
      }
    }
  }

  @Override
  public String describe() {
    return shown;
  }

  @Override
  public int nodeId() {
    return nodeId;
  }
}
