package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.ValueVector;

/**
 * ORDER BY, with an optional LIMIT/OFFSET (top-N): with a limit, each worker keeps only its best
 * rows once it holds many more than needed, so memory stays small for ORDER BY ... LIMIT.
 */
public final class SortSink implements Sink {
  private final List<DataType> types;
  private final int[] keys;
  private final boolean[] ascending;
  private final boolean[] nullsFirst;
  private final long limit;
  private final long offset;
  private final List<Batch> batches = new ArrayList<>();
  private final String shown;

  public SortSink(List<DataType> types, int[] keys, boolean[] ascending, boolean[] nullsFirst, long limit, long offset,
      String shown) {
    this.types = types;
    this.keys = keys;
    this.ascending = ascending;
    this.nullsFirst = nullsFirst;
    this.limit = limit;
    this.offset = offset;
    this.shown = shown;
  }

  /**
   * A top-N worker's state as compiled pipelines see it: they compare rows against the cut-off in
   * their row loop and push only the rows that sort before it.
   */
  public interface TopNLocal extends Local {
    /** The current cut-off row, or null while every row may still be in the result. */
    CutoffRow cutoff();

    /** Takes a batch whose rows all sort before {@code comparedTo} (the cut-off when they were compared, or null). */
    void push(Batch batch, CutoffRow comparedTo);
  }

  private final class SortLocal implements TopNLocal {
    final ExecContext ctx;
    List<Batch> batches = new ArrayList<>();
    long rows;
    /**
     * With a limit, once this worker has sorted {@code limit + offset} rows, its worst kept row: later
     * rows not better than it can never be in the result, so they are dropped on arrival.
     */
    Batch cutoff;
    /** The cut-off's keys for generated code, made when first asked for. */
    CutoffRow cutoffKeys;

    SortLocal(ExecContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public CutoffRow cutoff() {
      if (cutoff != null && cutoffKeys == null) {
        cutoffKeys = new CutoffRow(cutoff, keys);
      }
      return cutoffKeys;
    }

    @Override
    public void push(Batch batch) {
      push(batch, null);
    }

    @Override
    public void push(Batch batch, CutoffRow comparedTo) {
      // Rows compared against the current cut-off already need no second look.
      boolean compared = comparedTo != null && comparedTo == cutoffKeys;
      Batch b = cutoff == null || compared ? batch : betterThanCutoff(batch);
      if (b == null) {
        return;
      }
      batches.add(b);
      rows += b.rowCount();
      if (limit >= 0 && rows > Math.max(4 * (limit + offset), 65_536)) {
        Batch best = sorted(batches, limit + offset, ctx);
        batches = new ArrayList<>(List.of(best));
        rows = best.rowCount();
        if (best.rowCount() == limit + offset && best.rowCount() > 0) {
          if (cutoff != null) {
            cutoff.close();
          }
          cutoff = Batches.gather(best, new int[] {best.rowCount() - 1}, 1, ctx.allocator());
          cutoffKeys = null;
        }
      }
    }

    /** The rows of the batch (which it closes) that sort before the cut-off row, or null if none do. */
    private Batch betterThanCutoff(Batch in) {
      int[] kept;
      int count = 0;
      try {
        RowComparator limitRow = new RowComparator(cutoff, keys, ascending, nullsFirst);
        ValueVector[] rowKeys = RowComparator.keys(in, keys);
        kept = new int[in.rowCount()];
        for (int r = 0; r < in.rowCount(); r++) {
          if (limitRow.compareTo(rowKeys, r, 0) < 0) {
            kept[count++] = r;
          }
        }
        if (count == in.rowCount()) {
          return in;
        }
      } catch (RuntimeException e) {
        in.close();
        throw e;
      }
      try (Batch b = in) {
        return count == 0 ? null : Batches.gather(b, kept, count, ctx.allocator());
      }
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
      if (cutoff != null) {
        cutoff.close();
      }
    }
  }

  /** Sorts the batches (closing them) into one batch of at most {@code keep} rows. */
  private Batch sorted(List<Batch> in, long keep, ExecContext ctx) {
    try (Batch all = Batches.concat(in, types, ctx.allocator())) {
      Batches.closeAll(in);
      in.clear();
      int n = all.rowCount();
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, new RowComparator(all, keys, ascending, nullsFirst));
      int count = (int) Math.min(n, keep < 0 ? n : keep);
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = order[i];
      }
      return Batches.gather(all, rows, count, ctx.allocator());
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new SortLocal(ctx);
  }

  @Override
  public void merge(Local local) {
    SortLocal l = (SortLocal) local;
    batches.addAll(l.batches);
    l.batches.clear();
  }

  /** The sorted rows after OFFSET and LIMIT, as one batch the caller owns. */
  public Batch take(ExecContext ctx) {
    Batch best = sorted(batches, limit < 0 ? -1 : limit + offset, ctx);
    if (offset == 0) {
      return best;
    }
    try (Batch b = best) {
      int from = (int) Math.min(offset, b.rowCount());
      int count = b.rowCount() - from;
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = from + i;
      }
      return Batches.gather(b, rows, count, ctx.allocator());
    }
  }

  @Override
  public long heldBytes() {
    return Batches.bytes(batches);
  }

  @Override
  public String describe() {
    return (limit >= 0 ? "TopN " + limit + (offset > 0 ? " offset " + offset : "") + " " : "Sort ") + shown;
  }

  @Override
  public void close() {
    Batches.closeAll(batches);
    batches.clear();
  }
}
