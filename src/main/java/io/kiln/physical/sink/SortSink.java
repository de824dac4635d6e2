package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.spill.SpillFile;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.arrow.vector.ValueVector;

/**
 * ORDER BY, with an optional LIMIT/OFFSET (top-N): with a limit, each worker keeps only its best
 * rows once it holds many more than needed, so memory stays small for ORDER BY ... LIMIT.
 */
public final class SortSink implements Sink {
  /** Rows per batch of a spilled run: what the merge holds of each run at a time. */
  private static final int RUN_BATCH_ROWS = 8_192;
  private final List<DataType> types;
  private final int[] keys;
  private final boolean[] ascending;
  private final boolean[] nullsFirst;
  private final long limit;
  private final long offset;
  private final List<Batch> batches = new ArrayList<>();
  /** Sorted runs the workers spilled (a full sort whose rows outgrew their share of the memory limit). */
  private final List<SpillFile> runs = new ArrayList<>();
  private final String shown;
  /** Where EXPLAIN ANALYZE counts the bytes spilled, asked for on the first spill (so it shows only then). */
  private Supplier<LongAdder> spillCounter = LongAdder::new;

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

  /** Counts the bytes this sort spills in the counter {@code counter} gives on its first spill. */
  public SortSink countingSpillsIn(Supplier<LongAdder> counter) {
    this.spillCounter = counter;
    return this;
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
    /** Bytes of {@link #batches}. */
    long held;
    final List<SpillFile> runs = new ArrayList<>();
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
      held += Batches.bytes(List.of(b));
      if (limit < 0 && overShare()) {
        spillRun();
      }
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

    /**
     * Whether this worker's rows exceed its share of the memory limit: a quarter of it divided among
     * the threads, as sorting them takes about three times their size.
     */
    private boolean overShare() {
      long limitBytes = ctx.allocator().getLimit();
      return limitBytes != Long.MAX_VALUE && held > limitBytes / 4 / ctx.threads();
    }

    /** Sorts this worker's rows and writes them to a spill file as one sorted run. */
    private void spillRun() {
      SpillFile run = ctx.register(new SpillFile(ctx.spill(), describe()));
      runs.add(run);
      try (Batch sorted = sorted(batches, -1, ctx)) {
        long bytes = 0;
        for (int from = 0; from < sorted.rowCount(); from += RUN_BATCH_ROWS) {
          int count = Math.min(RUN_BATCH_ROWS, sorted.rowCount() - from);
          int[] range = new int[count];
          for (int i = 0; i < count; i++) {
            range[i] = from + i;
          }
          try (Batch part = Batches.gather(sorted, range, count, ctx.allocator())) {
            bytes += run.write(part);
          }
        }
        run.finishWriting();
        spillCounter.get().add(bytes);
      }
      batches = new ArrayList<>();
      rows = 0;
      held = 0;
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
    runs.addAll(l.runs);
    l.runs.clear();
  }

  /** The sorted rows after OFFSET and LIMIT, as one batch the caller owns. */
  public Batch take(ExecContext ctx) {
    if (!runs.isEmpty()) {
      return mergedRuns(ctx, offset); // only a full sort spills
    }
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

  /**
   * The spilled runs and the rows still in memory (sorted as one more run), merged into one batch
   * less the first {@code skip} rows: a k-way merge that holds one batch of each spilled run at a time.
   */
  private Batch mergedRuns(ExecContext ctx, long skip) {
    List<RunCursor> cursors = new ArrayList<>();
    ValueVector[] out = new ValueVector[types.size()];
    try {
      RunCursor inMemory = new RunCursor(null);
      cursors.add(inMemory);
      inMemory.load(sorted(batches, -1, ctx));
      long total = inMemory.batch.rowCount();
      for (SpillFile run : runs) {
        total += run.rows();
        // Each cursor is listed before it reads, so a failed read still closes its file.
        RunCursor c = new RunCursor(run.reader(ctx.allocator()));
        cursors.add(c);
        c.loadNext();
      }
      if (total > Integer.MAX_VALUE) {
        throw new IllegalStateException(describe() + " has " + total + " rows, more than one batch holds");
      }
      int n = (int) Math.max(0, total - skip);
      for (int c = 0; c < out.length; c++) {
        out[c] = Vectors.allocate(types.get(c), "c" + c, ctx.allocator(), n);
      }
      PriorityQueue<RunCursor> next = new PriorityQueue<>((x, y) -> y.order.compareTo(x.keys, x.row, y.row));
      for (RunCursor c : cursors) {
        if (c.batch != null && c.batch.rowCount() > 0) {
          next.add(c);
        }
      }
      for (long r = -Math.min(skip, total); r < n; r++) {
        if (r % 65_536 == 0) {
          ctx.throwIfCancelled();
        }
        RunCursor c = next.poll();
        for (int col = 0; r >= 0 && col < out.length; col++) {
          out[col].copyFromSafe(c.row, (int) r, c.batch.column(col));
        }
        if (c.advance()) {
          next.add(c);
        }
      }
      for (ValueVector v : out) {
        v.setValueCount(n);
      }
      return new Batch(out, n);
    } catch (RuntimeException e) {
      Batches.closeAll(out);
      throw e;
    } finally {
      for (RunCursor c : cursors) {
        c.close();
      }
      for (SpillFile run : runs) {
        run.delete();
      }
      runs.clear();
    }
  }

  /** A position in one sorted run: its current batch (read from the spill file, or the run in memory) and row. */
  private final class RunCursor implements AutoCloseable {
    private final SpillFile.Reader reader;
    Batch batch;
    RowComparator order;
    ValueVector[] keys;
    int row;

    /** {@code reader}: the spilled run's file, or null for the run in memory (given by {@link #load}). */
    RunCursor(SpillFile.Reader reader) {
      this.reader = reader;
    }

    void load(Batch b) {
      batch = b;
      row = 0;
      if (b != null) {
        order = new RowComparator(b, SortSink.this.keys, ascending, nullsFirst);
        keys = RowComparator.keys(b, SortSink.this.keys);
      }
    }

    /** Moves to the next row; false once the run has no more. */
    boolean advance() {
      if (++row < batch.rowCount()) {
        return true;
      }
      batch.close();
      batch = null;
      return loadNext();
    }

    /** Moves to the first row of the run's next batch that has rows; false if there is none. */
    boolean loadNext() {
      Batch following = reader == null ? null : reader.next();
      while (following != null && following.rowCount() == 0) {
        following.close();
        following = reader.next();
      }
      load(following);
      return batch != null;
    }

    @Override
    public void close() {
      if (batch != null) {
        batch.close();
        batch = null;
      }
      if (reader != null) {
        reader.close();
      }
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
    runs.clear(); // their files are the query's spill space's to delete
  }
}
