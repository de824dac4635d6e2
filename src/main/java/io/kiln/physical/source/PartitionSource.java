package io.kiln.physical.source;

import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The partitions of an exchange, one morsel per partition: a worker reads all of a partition's
 * batches in one go, so a step that must see a partition whole (a FINAL aggregation whose groups
 * all fall in it) can treat each morsel on its own.
 */
public final class PartitionSource implements Source {
  private final Function<ExecContext, List<List<Batch>>> partitions;
  private final int nodeId;
  private final String shown;

  public PartitionSource(Function<ExecContext, List<List<Batch>>> partitions, int nodeId, String shown) {
    this.partitions = partitions;
    this.nodeId = nodeId;
    this.shown = shown;
  }

  @Override
  public List<ScanTask> tasks(ExecContext ctx) {
    List<ScanTask> tasks = new ArrayList<>();
    for (List<Batch> part : partitions.apply(ctx)) {
      tasks.add(new PartitionTask(part));
    }
    return tasks;
  }

  private static final class PartitionTask implements ScanTask {
    private final List<Batch> batches;
    private final AtomicBoolean taken = new AtomicBoolean();

    PartitionTask(List<Batch> batches) {
      this.batches = batches;
    }

    @Override
    public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
      if (!taken.compareAndSet(false, true)) {
        return;
      }
      int handed = 0;
      try {
        while (handed < batches.size() && !stop.getAsBoolean()) {
          out.accept(batches.get(handed++));
        }
      } finally {
        // Batches handed on belong to the consumer; the rest (a stop, a failure) are released here.
        Batches.closeAll(batches.subList(handed, batches.size()));
      }
    }

    @Override
    public long estimatedRows() {
      long n = 0;
      for (Batch b : batches) {
        n += b.rowCount();
      }
      return n;
    }

    @Override
    public void close() {
      if (taken.compareAndSet(false, true)) {
        Batches.closeAll(batches);
      }
    }
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public String describe() {
    return shown;
  }
}
