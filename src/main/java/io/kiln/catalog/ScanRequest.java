package io.kiln.catalog;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a scan must produce: the columns (indexes into the provider's schema, in output order), the
 * filters it may use to skip data, and an optional row limit it may stop at.
 */
public final class ScanRequest {
  private final int[] projection;
  private final List<ColumnPredicate> filters;
  private final OptionalLong limit;

  public ScanRequest(int[] projection, List<ColumnPredicate> filters, OptionalLong limit) {
    this.projection = projection.clone();
    this.filters = List.copyOf(filters);
    this.limit = limit;
  }

  public int[] projection() {
    return projection.clone();
  }

  public List<ColumnPredicate> filters() {
    return filters;
  }

  public OptionalLong limit() {
    return limit;
  }
}
