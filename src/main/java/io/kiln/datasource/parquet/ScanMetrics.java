package io.kiln.datasource.parquet;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one Parquet scan read and skipped, added to by its tasks as they run (on any thread):
 * row groups, pages and bytes. EXPLAIN ANALYZE-style reporting reads it through
 * {@link #toString()}.
 */
public final class ScanMetrics {
  private final LongAdder rowGroupsRead = new LongAdder();
  private final LongAdder rowGroupsSkippedByStatistics = new LongAdder();
  private final LongAdder rowGroupsSkippedByDictionary = new LongAdder();
  private final LongAdder pagesRead = new LongAdder();
  private final LongAdder pagesSkipped = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();

  void rowGroupRead() {
    rowGroupsRead.increment();
  }

  void rowGroupSkippedByStatistics() {
    rowGroupsSkippedByStatistics.increment();
  }

  void rowGroupSkippedByDictionary() {
    rowGroupsSkippedByDictionary.increment();
  }

  /** A page (data or dictionary) read, with its size as stored (compressed). */
  void pageRead(long storedBytes) {
    pagesRead.increment();
    bytesRead.add(storedBytes);
  }

  void pagesSkipped(long pages) {
    pagesSkipped.add(pages);
  }

  public long rowGroupsRead() {
    return rowGroupsRead.sum();
  }

  public long rowGroupsSkippedByStatistics() {
    return rowGroupsSkippedByStatistics.sum();
  }

  public long rowGroupsSkippedByDictionary() {
    return rowGroupsSkippedByDictionary.sum();
  }

  public long pagesRead() {
    return pagesRead.sum();
  }

  public long pagesSkipped() {
    return pagesSkipped.sum();
  }

  /** Bytes of column chunk pages read, as stored in the file (compressed, headers excluded). */
  public long bytesRead() {
    return bytesRead.sum();
  }

  @Override
  public String toString() {
    return "row groups read " + rowGroupsRead() + ", skipped " + (rowGroupsSkippedByStatistics()
        + rowGroupsSkippedByDictionary()) + " (statistics " + rowGroupsSkippedByStatistics() + ", dictionary "
        + rowGroupsSkippedByDictionary() + "); pages read " + pagesRead() + ", skipped " + pagesSkipped()
        + "; bytes read " + bytesRead();
  }
}
