package io.kiln.exec;

import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.catalog.TableStatistics;
import io.kiln.data.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table whose morsels first run a hook, given the morsel's stop signal: tests use it to see
 * which morsels run at the same time, to fail one, or to hold one until the query stops it.
 */
final class HookedTable implements TableProvider {
  private final TableProvider table;
  private final Consumer<BooleanSupplier> hook;

  HookedTable(TableProvider table, Consumer<BooleanSupplier> hook) {
    this.table = table;
    this.hook = hook;
  }

  @Override
  public Schema schema() {
    return table.schema();
  }

  @Override
  public TableStatistics statistics() {
    return table.statistics();
  }

  @Override
  public List<ScanTaskDescriptor> splitScan(ScanRequest request) {
    return table.splitScan(request);
  }

  @Override
  public List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors) {
    return hooked(table.open(request, descriptors));
  }

  /** The wrapped table's own planScan, which may count more than its split and open apart (Parquet's metrics). */
  @Override
  public List<ScanTask> planScan(ScanRequest request) {
    return hooked(table.planScan(request));
  }

  private List<ScanTask> hooked(List<ScanTask> tasks) {
    List<ScanTask> out = new ArrayList<>();
    for (ScanTask t : tasks) {
      out.add(new ScanTask() {
        @Override
        public void run(BufferAllocator allocator, Consumer<Batch> batches, BooleanSupplier stop) {
          hook.accept(stop);
          t.run(allocator, batches, stop);
        }

        @Override
        public long estimatedRows() {
          return t.estimatedRows();
        }

        @Override
        public void close() {
          t.close();
        }
      });
    }
    return out;
  }

  @Override
  public String describe() {
    return "hooked " + table.describe();
  }
}
