package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.data.KeyHash;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/**
 * An exchange inside one process: deals its input's rows out to {@code partitions} partitions,
 * which the next pipeline reads one partition per morsel, so each partition is handled by one
 * thread at a time. HASH sends equal keys to one partition (by {@link #partitionOf}, a function of
 * the key values alone, the same in every process); BROADCAST gives every partition every row;
 * GATHER has one partition; ROUND_ROBIN deals whole batches in turn.
 */
public final class ExchangeSink implements Sink {
  private final ExchangeKind kind;
  private final List<Evaluator> keys;
  private final int partitions;
  private final List<List<Batch>> collected = new ArrayList<>();

  public ExchangeSink(ExchangeKind kind, List<Evaluator> keys, int partitions) {
    this.kind = kind;
    this.keys = List.copyOf(keys);
    this.partitions = partitions;
    for (int p = 0; p < partitions; p++) {
      collected.add(new ArrayList<>());
    }
  }

  /** The partition of a row whose key hash is {@code hash}: its high bits, which group tables do not use for slots. */
  public static int partitionOf(long hash, int partitions) {
    return (int) (((hash >>> 32) * partitions) >>> 32);
  }

  private final class PartitionLocal implements Local {
    final List<List<Batch>> parts = new ArrayList<>();
    final BufferAllocator allocator;
    int next;
    long[] hashes = new long[0];

    PartitionLocal(BufferAllocator allocator) {
      this.allocator = allocator;
      for (int p = 0; p < partitions; p++) {
        parts.add(new ArrayList<>());
      }
    }

    @Override
    public void push(Batch batch) {
      if (batch.rowCount() == 0) {
        batch.close();
        return;
      }
      switch (kind) {
        case GATHER -> parts.get(0).add(batch);
        case ROUND_ROBIN -> {
          parts.get(next).add(batch);
          next = (next + 1) % partitions;
        }
        case BROADCAST -> {
          try (Batch in = batch) {
            for (List<Batch> part : parts) {
              part.add(Batches.share(in, allocator));
            }
          }
        }
        case HASH -> {
          try (Batch in = batch) {
            byHash(in);
          }
        }
      }
    }


    private void byHash(Batch in) {
      int n = in.rowCount();
      if (hashes.length < n) {
        hashes = new long[n];
      }
      ValueVector[] kv = new ValueVector[keys.size()];
      try {
        for (int k = 0; k < kv.length; k++) {
          kv[k] = keys.get(k).evaluate(in, allocator);
        }
        KeyHash.rows(kv, 0, n, hashes);
      } finally {
        Batches.closeAll(kv);
      }
      int[] counts = new int[partitions];
      int[] of = new int[n];
      for (int r = 0; r < n; r++) {
        of[r] = partitionOf(hashes[r], partitions);
        counts[of[r]]++;
      }
      int[][] rows = new int[partitions][];
      for (int p = 0; p < partitions; p++) {
        rows[p] = new int[counts[p]];
        counts[p] = 0;
      }
      for (int r = 0; r < n; r++) {
        int p = of[r];
        rows[p][counts[p]++] = r;
      }
      for (int p = 0; p < partitions; p++) {
        if (counts[p] == n) {
          parts.get(p).add(Batches.share(in, allocator)); // every row goes one way: no copy
        } else if (counts[p] > 0) {
          parts.get(p).add(Batches.gather(in, rows[p], counts[p], allocator));
        }
      }
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
    return "Exchange " + kind + (keys.isEmpty() ? "" : " " + keys.size() + " keys") + " into " + partitions
        + " partitions";
  }

  @Override
  public void close() {
    for (List<Batch> part : collected) {
      Batches.closeAll(part);
      part.clear();
    }
  }
}
