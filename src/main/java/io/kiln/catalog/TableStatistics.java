package io.kiln.catalog;

import java.util.Map;
import java.util.OptionalLong;

/** What a provider knows without scanning: row count and, where known, per-column distinct counts. */
public final class TableStatistics {
  public static final TableStatistics UNKNOWN = new TableStatistics(OptionalLong.empty(), Map.of());

  private final OptionalLong rowCount;
  private final Map<String, Long> distinctCounts;

  public TableStatistics(OptionalLong rowCount, Map<String, Long> distinctCounts) {
    this.rowCount = rowCount;
    this.distinctCounts = distinctCounts;
  }

  public static TableStatistics ofRowCount(long rows) {
    return new TableStatistics(OptionalLong.of(rows), Map.of());
  }

  public OptionalLong rowCount() {
    return rowCount;
  }

  /** Distinct values of a column, when the source knows them (lower-case column name). */
  public OptionalLong distinctCount(String column) {
    Long n = distinctCounts.get(column);
    return n == null ? OptionalLong.empty() : OptionalLong.of(n);
  }
}
