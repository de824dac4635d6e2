package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.spill.PartitionedSpill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Collects a hash join's build rows. Compiled build pipelines hash each row's join key in the loop
 * that writes the row and push the hashes along with the batch, so the build need not read the key
 * columns again; batches from interpreted pipelines come without hashes and are hashed at the build.
 *
 * <p>Under a memory limit, a join that can be partitioned (see {@link HashJoinFactory#canSpill})
 * spills once a worker's rows outgrow its share: from then on every build row goes to disk,
 * partitioned by key hash, and the join runs a partition at a time (a grace hash join).
 */
public final class JoinBuildSink implements Sink {
  private final List<Batch> batches = new ArrayList<>();
  /** The key hashes of each batch (parallel to {@link #batches}), or null where they are to be computed. */
  private final List<long[]> hashes = new ArrayList<>();
  /** The build keys, to hash rows that came without hashes when they spill; null if the join cannot spill. */
  private final List<Evaluator> spillKeys;
  private final String owner;
  private final Supplier<LongAdder> spillCounter;
  /** Once spilling, rows a worker gathers before writing them out: each partition's file gets batches of some size. */
  private static final long SPILL_CHUNK_BYTES = 8 << 20;
  /** Made by the first spill; then every build row goes there. */
  private volatile PartitionedSpill spilled;

  /** A build that keeps its rows in memory whatever their size. */
  public JoinBuildSink() {
    this(null, "HashJoinBuild", LongAdder::new);
  }

  /**
   * A build that spills under a memory limit, hashing rows by {@code keys} (which must hash as the
   * join's probe does), counting the bytes in {@code spillCounter}'s counter.
   */
  public JoinBuildSink(List<Evaluator> keys, String owner, Supplier<LongAdder> spillCounter) {
    this.spillKeys = keys;
    this.owner = owner;
    this.spillCounter = spillCounter;
  }

  /** A worker's build rows. */
  public final class BuildLocal implements Local {
    final List<Batch> batches = new ArrayList<>();
    final List<long[]> hashes = new ArrayList<>();
    private final ExecContext ctx;
    private long bytes;

    BuildLocal(ExecContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void push(Batch batch) {
      push(batch, null);
    }

    /** Takes the batch, with the key hash of each of its rows (at least its row count of them) or null. */
    public void push(Batch batch, long[] keyHashes) {
      if (batch.rowCount() == 0) {
        batch.close();
        return;
      }
      if (keyHashes != null && keyHashes.length < batch.rowCount()) {
        batch.close();
        throw new IllegalArgumentException("a build batch of " + batch.rowCount() + " rows came with "
            + keyHashes.length + " key hashes");
      }
      batches.add(batch);
      hashes.add(keyHashes);
      bytes += Batches.bytes(List.of(batch)) + HashJoinFactory.CHAIN_BYTES_PER_ROW * batch.rowCount();
      if (spillKeys != null && (spilled != null ? bytes > SPILL_CHUNK_BYTES : outgrown())) {
        spill(batches, hashes, ctx);
        bytes = 0;
      }
    }

    /**
     * Whether this worker's rows are past its share of a quarter of the limit (the build copies
     * them into one batch and adds chains, and the probe side's work needs room too), or the
     * query has less than an eighth of its limit left.
     */
    private boolean outgrown() {
      BufferAllocator allocator = ctx.allocator();
      long limit = allocator.getLimit();
      return limit != Long.MAX_VALUE && (bytes > limit / 4 / ctx.threads() || allocator.getHeadroom() < limit / 8);
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
    }
  }

  /** Writes the batches to the partitions' files and closes them; both lists are emptied. */
  private void spill(List<Batch> from, List<long[]> fromHashes, ExecContext ctx) {
    PartitionedSpill files = spillFiles(ctx);
    long written = 0;
    try {
      for (int i = 0; i < from.size(); i++) {
        Batch b = from.get(i);
        long[] h = fromHashes.get(i);
        written += files.write(b, h != null ? h : Batches.keyHashes(spillKeys, b, ctx.allocator()));
      }
    } finally {
      Batches.closeAll(from);
      from.clear();
      fromHashes.clear();
      spillCounter.get().add(written);
    }
  }

  private synchronized PartitionedSpill spillFiles(ExecContext ctx) {
    if (spilled == null) {
      spilled = ctx.register(new PartitionedSpill(ctx.spill(), owner, 0));
    }
    return spilled;
  }

  /** The collected rows; the caller owns the batches. */
  static final class Rows {
    final List<Batch> batches;
    final List<long[]> hashes;
    /** Each batch's row count (still known once the batches are closed). */
    final int[] rowCounts;

    Rows(List<Batch> batches, List<long[]> hashes) {
      this.batches = batches;
      this.hashes = hashes;
      this.rowCounts = new int[batches.size()];
      for (int i = 0; i < rowCounts.length; i++) {
        rowCounts[i] = batches.get(i).rowCount();
      }
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new BuildLocal(ctx);
  }

  @Override
  public void merge(Local local) {
    BuildLocal l = (BuildLocal) local;
    batches.addAll(l.batches);
    hashes.addAll(l.hashes);
    l.batches.clear();
    l.hashes.clear();
  }

  /** Whether the build rows went to disk: then {@link #takeSpilled} has them, and {@link #take} has none. */
  boolean spilled() {
    return spilled != null;
  }

  /** The spilled build rows, with those still in memory written out too, finished for reading; the caller owns them. */
  PartitionedSpill takeSpilled(ExecContext ctx) {
    spill(batches, hashes, ctx);
    PartitionedSpill out = spilled;
    out.finishWriting();
    return out;
  }

  /** The collected batches and their hashes; ownership of the batches passes to the caller. */
  Rows take() {
    Rows out = new Rows(new ArrayList<>(batches), new ArrayList<>(hashes));
    batches.clear();
    hashes.clear();
    return out;
  }

  /** The build rows, and the chains the table will add on the heap (as much as {@link HashJoinFactory} reserves for them). */
  @Override
  public long heldBytes() {
    long rows = 0;
    for (Batch b : batches) {
      rows += b.rowCount();
    }
    return Batches.bytes(batches) + HashJoinFactory.CHAIN_BYTES_PER_ROW * rows;
  }

  @Override
  public String describe() {
    return "HashJoinBuild";
  }

  @Override
  public void close() {
    Batches.closeAll(batches);
    batches.clear();
    hashes.clear();
  }
}
