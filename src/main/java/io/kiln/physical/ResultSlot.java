package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A breaker's materialized result, read by the pipelines it feeds. With one reader the batches
 * pass to it; a result read by several (a CTE used twice) gives the earlier readers shared,
 * reference-counted copies and the last one the batches themselves.
 */
final class ResultSlot implements AutoCloseable {
  private final LongAdder bytes;
  private List<Batch> batches;
  private int readers;

  /** A slot that adds the Arrow memory its result holds to {@code bytes}. */
  ResultSlot(LongAdder bytes) {
    this.bytes = bytes;
  }

  synchronized void addReader() {
    readers++;
  }

  synchronized void set(List<Batch> result) {
    if (batches != null) {
      throw new IllegalStateException("a breaker's result was set twice");
    }
    batches = result;
    for (Batch b : result) {
      for (int c = 0; c < b.columnCount(); c++) {
        bytes.add(b.column(c).getBufferSize());
      }
    }
  }

  /** The batches for one reader, who owns them. */
  synchronized List<Batch> take(ExecContext ctx) {
    if (batches == null) {
      throw new IllegalStateException("a breaker's result was read before it was computed");
    }
    if (--readers == 0) {
      List<Batch> out = batches;
      batches = List.of();
      return out;
    }
    List<Batch> copies = new ArrayList<>();
    try {
      for (Batch b : batches) {
        copies.add(Batches.share(b, ctx.allocator()));
      }
    } catch (RuntimeException e) {
      Batches.closeAll(copies);
      throw e;
    }
    return copies;
  }

  @Override
  public synchronized void close() {
    if (batches != null) {
      Batches.closeAll(batches);
      batches = List.of();
    }
  }
}
