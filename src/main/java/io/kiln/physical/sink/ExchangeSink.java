package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An exchange inside one process: deals its input's rows out to {@code partitions} partitions (by a
 * {@link Partitioner}), which the next pipeline reads one partition per morsel, so each partition
 * is handled by one thread at a time.
 */
public final class ExchangeSink implements Sink {
  private final Partitioner partitioner;
  private final int partitions;
  private final List<List<Batch>> collected = new ArrayList<>();

  public ExchangeSink(ExchangeKind kind, List<Evaluator> keys, int partitions) {
    this.partitioner = new Partitioner(kind, keys, partitions);
    this.partitions = partitions;
    for (int p = 0; p < partitions; p++) {
      collected.add(new ArrayList<>());
    }
  }

  private final class PartitionLocal implements Local {
    final List<List<Batch>> parts = new ArrayList<>();
    final BufferAllocator allocator;

    PartitionLocal(BufferAllocator allocator) {
      this.allocator = allocator;
      for (int p = 0; p < partitions; p++) {
        parts.add(new ArrayList<>());
      }
    }

    @Override
    public void push(Batch batch) {
      partitioner.split(batch, allocator, (p, b) -> parts.get(p).add(b));
    }

    @Override
    public void close() {
      for (List<Batch> part : parts) {
        Batches.closeAll(part);
        part.clear();
      }
    }
  }
  @Override
  public Local newLocal(ExecContext ctx) {
    return new PartitionLocal(ctx.allocator());
  }

  @Override
  public void merge(Local local) {
    PartitionLocal l = (PartitionLocal) local;
    for (int p = 0; p < partitions; p++) {
      collected.get(p).addAll(l.parts.get(p));
      l.parts.get(p).clear();
    }
  }

  /** Each partition's batches, in partition order; the caller owns them. */
  public List<List<Batch>> take() {
    List<List<Batch>> out = new ArrayList<>();
    for (List<Batch> part : collected) {
      out.add(new ArrayList<>(part));
      part.clear();
    }
    return out;
  }

  @Override
  public String describe() {
    return partitioner.describe();
  }

  @Override
  public void close() {
    for (List<Batch> part : collected) {
      Batches.closeAll(part);
      part.clear();
    }
  }
}
