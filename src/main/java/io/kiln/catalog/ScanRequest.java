package io.kiln.catalog;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a scan must produce: the columns (indexes into the provider's schema, in output order), the
 * filters it may use to skip data, and an optional row limit it may stop at; how many workers
 * will run its morsels, so a provider cuts its data no finer than they can use; and which output
 * columns a consumer could use {@link io.kiln.data.DictionaryIds} of (a provider may ignore it).
 */
public final class ScanRequest {
  private final int[] projection;
  private final List<ColumnPredicate> filters;
  private final OptionalLong limit;
  private final int workers;
  /** Per output column: whether its dictionary ids are worth attaching to the batches. */
  private final boolean[] dictionaryIds;
  /** Where the scan adds the bytes it reads from storage. */
  private final ReadTotals readTotals;

  public ScanRequest(int[] projection, List<ColumnPredicate> filters, OptionalLong limit) {
    this(projection, filters, limit, 1, new boolean[projection.length], new ReadTotals());
  }

  private ScanRequest(int[] projection, List<ColumnPredicate> filters, OptionalLong limit, int workers,
      boolean[] dictionaryIds, ReadTotals readTotals) {
    if (workers < 1) {
      throw new IllegalArgumentException("a scan needs at least one worker, not " + workers);
    }
    if (dictionaryIds.length != projection.length) {
      throw new IllegalArgumentException(dictionaryIds.length + " dictionary id wishes for " + projection.length
          + " columns");
    }
    this.projection = projection.clone();
    this.filters = List.copyOf(filters);
    this.limit = limit;
    this.workers = workers;
    this.dictionaryIds = dictionaryIds.clone();
    this.readTotals = readTotals;
  }

  /** The same request, for morsels run by {@code workers} workers. */
  public ScanRequest forWorkers(int workers) {
    return new ScanRequest(projection, filters, limit, workers, dictionaryIds, readTotals);
  }

  /**
   * The same request, asking for the dictionary ids of the output columns {@code wanted} marks
   * (one entry per output column): a consumer reads those columns as the scan makes them and
   * can use their ids (a GROUP BY on them).
   */
  public ScanRequest withDictionaryIds(boolean[] wanted) {
    return new ScanRequest(projection, filters, limit, workers, wanted, readTotals);
  }

  /** The same request, with {@code more} filters besides its own. */
  public ScanRequest withMoreFilters(List<ColumnPredicate> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<ColumnPredicate> all = new java.util.ArrayList<>(filters);
    all.addAll(more);
    return new ScanRequest(projection, all, limit, workers, dictionaryIds, readTotals);
  }

  /** The same request, adding the bytes its scan reads from storage to {@code totals}. */
  public ScanRequest withReadTotals(ReadTotals totals) {
    return new ScanRequest(projection, filters, limit, workers, dictionaryIds, totals);
  }

  /** Where a provider adds the bytes it reads from storage for this scan. */
  public ReadTotals readTotals() {
    return readTotals;
  }

  /** Whether output column {@code i}'s dictionary ids are wanted. */
  public boolean wantsDictionaryIds(int i) {
    return dictionaryIds[i];
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
