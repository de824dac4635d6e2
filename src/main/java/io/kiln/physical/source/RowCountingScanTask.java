package io.kiln.physical.source;

import io.kiln.catalog.ReadTotals;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/** A scan task that adds the rows it produces to the owner's read totals (kiln_rows_read_total). */
final class RowCountingScanTask implements ScanTask {
  private final ScanTask task;
  private final ReadTotals totals;

  RowCountingScanTask(ScanTask task, ReadTotals totals) {
    this.task = task;
    this.totals = totals;
  }

  @Override
  public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
    task.run(allocator, b -> {
      totals.addRows(b.rowCount());
      out.accept(b);
    }, stop);
  }

  @Override
  public long estimatedRows() {
    return task.estimatedRows();
  }

  @Override
  public void close() {
    task.close();
  }
}
