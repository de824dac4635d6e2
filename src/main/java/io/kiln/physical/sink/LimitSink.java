package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** OFFSET/LIMIT without ORDER BY: keeps the first rows to arrive and stops the pipeline once it has enough. */
public final class LimitSink implements Sink {
  private final long limit;
  private final long offset;
  private final AtomicLong seen = new AtomicLong();
  private final List<Batch> batches = new ArrayList<>();

  public LimitSink(long limit, long offset) {
    this.limit = limit;
    this.offset = offset;
  }

  private final class LimitLocal implements Local {
    final List<Batch> batches = new ArrayList<>();

    @Override
    public void push(Batch batch) {
      // claim before keeping: two workers that both saw the sink short must not both hold a batch
      long before = seen.getAndAdd(batch.rowCount());
      if (limit >= 0 && before >= limit + offset) {
        batch.close();
        return;
      }
      batches.add(batch);
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new LimitLocal();
  }

  @Override
  public void merge(Local local) {
    LimitLocal l = (LimitLocal) local;
    batches.addAll(l.batches);
    l.batches.clear();
  }

  @Override
  public boolean isDone() {
    return limit >= 0 && seen.get() >= limit + offset;
  }

  /** The rows after OFFSET, at most LIMIT of them; ownership passes to the caller. */
  public List<Batch> take(ExecContext ctx) {
    List<Batch> out = new ArrayList<>();
    long skip = offset;
    long remaining = limit < 0 ? Long.MAX_VALUE : limit;
    for (Batch b : batches) {
      int n = b.rowCount();
      int from = (int) Math.min(skip, n);
      skip -= from;
      int count = (int) Math.min(remaining, n - from);
      if (count > 0) {
        if (from == 0 && count == n) {
          out.add(b);
          remaining -= count;
          continue;
        }
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
          rows[i] = from + i;
        }
        out.add(Batches.gather(b, rows, count, ctx.allocator()));
        remaining -= count;
      }
      b.close();
    }
    batches.clear();
    return out;
  }

  @Override
  public String describe() {
    return "Limit " + (limit < 0 ? "ALL" : limit) + (offset > 0 ? " offset " + offset : "");
  }

  @Override
  public void close() {
    Batches.closeAll(batches);
    batches.clear();
  }
}
