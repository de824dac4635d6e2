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
   * Splits a scan into tasks. Filters are advisory: a provider may use them to skip data (row
   * groups, files) but the engine applies them again, so a provider never has to be exact.
   */
  List<ScanTask> planScan(ScanRequest request);

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
