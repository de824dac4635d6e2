package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.data.KeyHash;
import io.kiln.physical.Batches;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

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
    int n = in.rowCount();
    long[] hashes = new long[n];
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
        out.accept(p, Batches.share(in, allocator)); // every row goes one way: no copy
      } else if (counts[p] > 0) {
        out.accept(p, Batches.gather(in, rows[p], counts[p], allocator));
      }
    }
  }

  public String describe() {
    return "Exchange " + kind + (keys.isEmpty() ? "" : " " + keys.size() + " keys") + " into " + partitions
        + " partitions";
  }
}
