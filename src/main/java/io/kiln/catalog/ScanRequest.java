package io.kiln.catalog;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a scan must produce: the columns (indexes into the provider's schema, in output order), the
 * filters it may use to skip data, and an optional row limit it may stop at; and how many workers
 * will run its morsels, so a provider cuts its data no finer than they can use.
 */
public final class ScanRequest {
  private final int[] projection;
  private final List<ColumnPredicate> filters;
  private final OptionalLong limit;
  private final int workers;

  public ScanRequest(int[] projection, List<ColumnPredicate> filters, OptionalLong limit) {
    this(projection, filters, limit, 1);
  }

  private ScanRequest(int[] projection, List<ColumnPredicate> filters, OptionalLong limit, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a scan needs at least one worker, not " + workers);
    }
    this.projection = projection.clone();
    this.filters = List.copyOf(filters);
    this.limit = limit;
    this.workers = workers;
  }

  /** The same request, for morsels run by {@code workers} workers. */
  public ScanRequest forWorkers(int workers) {
    return new ScanRequest(projection, filters, limit, workers);
  }

  public int workers() {
    return workers;
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
