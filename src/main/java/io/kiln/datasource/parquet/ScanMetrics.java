package io.kiln.datasource.parquet;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one Parquet scan read and skipped, added to by its tasks as they run (on any thread):
 * row groups, pages and bytes.
 */
public final class ScanMetrics {
  private final LongAdder rowGroupsRead = new LongAdder();
  private final LongAdder rowGroupsSkippedByStatistics = new LongAdder();
  private final LongAdder rowGroupsSkippedByDictionary = new LongAdder();
  private final LongAdder rowGroupsSkippedByColumnIndex = new LongAdder();
  private final LongAdder pagesRead = new LongAdder();
  private final LongAdder pagesSkipped = new LongAdder();
  /**
   * Rows the scan's predicates rejected. Batches where most rows pass keep the rejected ones too,
   * for the filter above the scan to drop (see {@link SelectiveBatchReader}).
   */
  private final LongAdder rowsFilteredOnDictionary = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder morselsRead = new LongAdder();
  private final LongAdder pagesReadAgain = new LongAdder();
  private final LongAdder morselsReadAhead = new LongAdder();
  private final LongAdder rowsFilteredOnValues = new LongAdder();
  private final LongAdder rowsLeftToFilterAbove = new LongAdder();
  private final LongAdder rowsDecodedLate = new LongAdder();
  private final LongAdder rowsSkippedLate = new LongAdder();
  private final LongAdder pagesNotDecoded = new LongAdder();
  /** Totals this scan also adds to (the table's running totals), or null. */
  private final ScanMetrics parent;
  /** The session's or worker's totals this scan adds the bytes it reads to, or null. */
  private final io.kiln.catalog.ReadTotals readTotals;

  public ScanMetrics() {
    this(null, null);
  }

  ScanMetrics(ScanMetrics parent, io.kiln.catalog.ReadTotals readTotals) {
    this.parent = parent;
    this.readTotals = readTotals;
  }

  void rowGroupRead() {
    rowGroupsRead.increment();
    if (parent != null) {
      parent.rowGroupRead();
    }
  }

  void rowGroupSkippedByStatistics() {
    rowGroupsSkippedByStatistics.increment();
    if (parent != null) {
      parent.rowGroupSkippedByStatistics();
    }
  }

  void rowGroupSkippedByDictionary() {
    rowGroupsSkippedByDictionary.increment();
    if (parent != null) {
      parent.rowGroupSkippedByDictionary();
    }
  }

  void rowGroupSkippedByColumnIndex() {
    rowGroupsSkippedByColumnIndex.increment();
    if (parent != null) {
      parent.rowGroupSkippedByColumnIndex();
    }
  }

  /** Data pages of a row group being read that the offset index let the scan leave unread. */
  void pagesSkipped(long pages) {
    pagesSkipped.add(pages);
    if (parent != null) {
      parent.pagesSkipped(pages);
    }
  }

  /** Rows dropped because their dictionary ids' entries fail a pushed-down predicate (see DictionaryIdColumn). */
  void rowsFilteredOnDictionary(long rows) {
    rowsFilteredOnDictionary.add(rows);
    if (parent != null) {
      parent.rowsFilteredOnDictionary(rows);
    }
  }

  /** Rows dropped in the scan because their decoded values fail a pushed-down predicate. */
  void rowsFilteredOnValues(long rows) {
    rowsFilteredOnValues.add(rows);
    if (parent != null) {
      parent.rowsFilteredOnValues(rows);
    }
  }

  /**
   * Late materialization of one batch: {@code decoded} rows whose non-predicate columns were
   * decoded after the predicates selected them, and {@code skipped} rows whose non-predicate
   * columns were never decoded (counted once per batch, not per column).
   */
  /** Rows of batches the scan did not evaluate its predicates on, as most rows before them passed. */
  void rowsLeftToFilterAbove(long rows) {
    rowsLeftToFilterAbove.add(rows);
    if (parent != null) {
      parent.rowsLeftToFilterAbove(rows);
    }
  }

  void rowsLate(long decoded, long skipped) {
    rowsDecodedLate.add(decoded);
    rowsSkippedLate.add(skipped);
    if (parent != null) {
      parent.rowsLate(decoded, skipped);
    }
  }

  /** A data page fetched (counted in {@link #pagesRead}) but never decompressed nor decoded: no row of it was needed. */
  void pageNotDecoded() {
    pagesNotDecoded.increment();
    if (parent != null) {
      parent.pageNotDecoded();
    }
  }

  /** A page (data or dictionary) read, with its size as stored (compressed). */
  void pageRead(long storedBytes) {
    pagesRead.increment();
    bytesRead.add(storedBytes);
    if (readTotals != null) {
      readTotals.addBytes(storedBytes);
    }
    if (parent != null) {
      parent.pageRead(storedBytes);
    }
  }

  /** A morsel (a whole row group or a slice of one) whose pages are being read. */
  void morselRead() {
    morselsRead.increment();
    if (parent != null) {
      parent.morselRead();
    }
  }

  /**
   * A page read by a slice that an earlier slice of its row group also read (it holds rows of
   * both); counted here instead of in {@link #pagesRead} and {@link #bytesRead}.
   */
  void pageReadAgain() {
    pagesReadAgain.increment();
    if (parent != null) {
      parent.pageReadAgain();
    }
  }

  /** A morsel whose I/O a read-ahead thread does before a worker gets to it. */
  void morselReadAhead() {
    morselsReadAhead.increment();
    if (parent != null) {
      parent.morselReadAhead();
    }
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

  /** Row groups whose column indexes rule out every page. */
  public long rowGroupsSkippedByColumnIndex() {
    return rowGroupsSkippedByColumnIndex.sum();
  }

  /** Data pages of projected columns not read because the column indexes ruled out all their rows. */
  public long pagesSkipped() {
    return pagesSkipped.sum();
  }

  public long rowsFilteredOnDictionary() {
    return rowsFilteredOnDictionary.sum();
  }

  public long pagesRead() {
    return pagesRead.sum();
  }

  /** Bytes of column chunk pages read, as stored in the file (compressed, headers excluded). */
  public long bytesRead() {
    return bytesRead.sum();
  }

  /** Row groups and slices of row groups read: more than {@link #rowGroupsRead} when large ones are sliced. */
  public long morselsRead() {
    return morselsRead.sum();
  }

  /** Pages read once more at the edges of slices (see {@link #pageReadAgain}). */
  public long pagesReadAgain() {
    return pagesReadAgain.sum();
  }

  /** Morsels whose pages were fetched ahead of the workers (remote stores only). */
  public long morselsReadAhead() {
    return morselsReadAhead.sum();
  }

  public long rowsLeftToFilterAbove() {
    return rowsLeftToFilterAbove.sum();
  }

  public long rowsFilteredOnValues() {
    return rowsFilteredOnValues.sum();
  }

  public long rowsDecodedLate() {
    return rowsDecodedLate.sum();
  }

  public long rowsSkippedLate() {
    return rowsSkippedLate.sum();
  }

  public long pagesNotDecoded() {
    return pagesNotDecoded.sum();
  }

  /** The counters by name, in a fixed order (what {@code TableProvider.scanCounters} reports). */
  public java.util.Map<String, Long> counters() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    m.put("row groups read", rowGroupsRead());
    m.put("row groups skipped by statistics", rowGroupsSkippedByStatistics());
    m.put("row groups skipped by dictionary", rowGroupsSkippedByDictionary());
    m.put("row groups skipped by column index", rowGroupsSkippedByColumnIndex());
    m.put("pages read", pagesRead());
    m.put("pages skipped", pagesSkipped());
    m.put("bytes read", bytesRead());
    m.put("rows filtered on dictionary ids", rowsFilteredOnDictionary());
    m.put("morsels read", morselsRead());
    m.put("pages re-read by slices", pagesReadAgain());
    m.put("morsels read ahead", morselsReadAhead());
    m.put("rows filtered on values", rowsFilteredOnValues());
    m.put("rows left to the filter above", rowsLeftToFilterAbove());
    m.put("rows decoded late", rowsDecodedLate());
    m.put("rows skipped late", rowsSkippedLate());
    m.put("pages not decoded", pagesNotDecoded());
    return m;
  }

  @Override
  public String toString() {
    return counters().toString();
  }
}
