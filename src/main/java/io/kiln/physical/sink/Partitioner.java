package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.physical.Batches;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Deals a batch's rows out to an exchange's partitions: HASH sends equal keys to one partition (by
 * {@link #partitionOf}, a function of the key values alone, the same in every process); BROADCAST
 * gives every partition every row; GATHER has one partition; ROUND_ROBIN deals whole batches in
 * turn. Shared by the threads of one exchange (in one process or a cluster task's shuffle writer).
 */
public final class Partitioner {
  /** Receives one partition's share of a batch, and owns it. */
  @FunctionalInterface
  public interface Target {
    void accept(int partition, Batch batch);
  }

  private final ExchangeKind kind;
  private final List<Evaluator> keys;
  private final int partitions;
  private final AtomicInteger next = new AtomicInteger();

  public Partitioner(ExchangeKind kind, List<Evaluator> keys, int partitions) {
    if (partitions < 1 || (kind == ExchangeKind.GATHER && partitions != 1)) {
      throw new IllegalArgumentException(kind + " exchange into " + partitions + " partitions");
    }
    if (kind == ExchangeKind.HASH && keys.isEmpty()) {
      throw new IllegalArgumentException("a HASH exchange needs keys");
    }
    this.kind = kind;
    this.keys = List.copyOf(keys);
    this.partitions = partitions;
  }

  /** The partition of a row whose key hash is {@code hash}: its high bits, which group tables do not use for slots. */
  public static int partitionOf(long hash, int partitions) {
    return (int) (((hash >>> 32) * partitions) >>> 32);
  }

  public ExchangeKind kind() {
    return kind;
  }

  public int partitions() {
    return partitions;
  }

  public int keyCount() {
    return keys.size();
  }

  /** Deals {@code batch} (taken over: closed here or handed on) to {@code out}; empty batches go nowhere. */
  public void split(Batch batch, BufferAllocator allocator, Target out) {
    if (batch.rowCount() == 0) {
      batch.close();
      return;
    }
    switch (kind) {
      case GATHER -> out.accept(0, batch);
      case ROUND_ROBIN -> out.accept(Math.floorMod(next.getAndIncrement(), partitions), batch);
      case BROADCAST -> {
        try (Batch in = batch) {
          for (int p = 0; p < partitions; p++) {
            out.accept(p, Batches.share(in, allocator));
          }
        }
      }
      case HASH -> {
        try (Batch in = batch) {
          byHash(in, allocator, out);
        }
      }
    }
  }

  private void byHash(Batch in, BufferAllocator allocator, Target out) {
    long[] hashes = Batches.keyHashes(keys, in, allocator);
    int[] of = new int[hashes.length];
    for (int r = 0; r < of.length; r++) {
      of[r] = partitionOf(hashes[r], partitions);
    }
    Batches.split(in, of, partitions, allocator, out::accept);
  }

  public String describe() {
    return "Exchange " + kind + (keys.isEmpty() ? "" : " " + keys.size() + " keys") + " into " + partitions
        + " partitions";
  }
}
