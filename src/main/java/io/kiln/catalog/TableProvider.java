package io.kiln.catalog;

import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table Kiln can scan: its Arrow schema, its statistics, and a scan split into independent tasks
 * (morsels) that worker threads run in parallel.
 */
public interface TableProvider {
  /** Column names and Arrow types as the source declares them. */
  Schema schema();

  /** What the optimizer may know before reading: row count, per-column facts. */
  TableStatistics statistics();

  /**
   * Splits a scan into tasks as plain data: which units (files, row groups, slices of them,
   * batches) to read, after skipping what the filters rule out and stopping at the limit. Filters
   * are advisory: a provider may use them to skip data but the engine applies them again, so a
   * provider never has to be exact. A scheduler deals the descriptors to workers.
   */
  List<ScanTaskDescriptor> splitScan(ScanRequest request);

  /**
   * The running tasks for exactly {@code descriptors} (from {@link #splitScan} of an equal request,
   * here or in another process with the same table), in their order. Tasks made by one call may
   * share per-unit state (a row group's dictionary verdict, read-ahead). A descriptor naming a
   * unit the table does not have is a KilnException naming the table and the unit.
   */
  List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors);

  /** Splits a scan and opens all of its tasks: how a scan runs in one process. */
  default List<ScanTask> planScan(ScanRequest request) {
    return open(request, splitScan(request));
  }

  /** A short description for EXPLAIN, e.g. "parquet /data/lineitem.parquet". */
  String describe();

  /**
   * Running totals of what this provider's scans read and skipped (e.g. "row groups read"), in a
   * stable order, for EXPLAIN ANALYZE: the engine reports the change over one query. Empty when
   * the provider keeps none.
   */
  default java.util.Map<String, Long> scanCounters() {
    return java.util.Map.of();
  }
}
