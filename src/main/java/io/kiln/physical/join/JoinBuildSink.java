package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a hash join's build rows. Compiled build pipelines hash each row's join key in the loop
 * that writes the row and push the hashes along with the batch, so the build need not read the key
 * columns again; batches from interpreted pipelines come without hashes and are hashed at the build.
 */
public final class JoinBuildSink implements Sink {
  private final List<Batch> batches = new ArrayList<>();
  /** The key hashes of each batch (parallel to {@link #batches}), or null where they are to be computed. */
  private final List<long[]> hashes = new ArrayList<>();

  /** A worker's build rows. */
  public static final class BuildLocal implements Local {
    final List<Batch> batches = new ArrayList<>();
    final List<long[]> hashes = new ArrayList<>();

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
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
    }
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
    return new BuildLocal();
  }

  @Override
  public void merge(Local local) {
    BuildLocal l = (BuildLocal) local;
    batches.addAll(l.batches);
    hashes.addAll(l.hashes);
    l.batches.clear();
    l.hashes.clear();
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
