package io.kiln.catalog;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of what scans read, kept by a session or a worker for its metrics: rows the
 * scans produced, and bytes they read from storage (files or object stores, as stored: a
 * compressed Parquet page counts its compressed size; in-memory tables read none).
 */
public final class ReadTotals {
  private final LongAdder rows = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  public void addRows(long n) {
    rows.add(n);
  }

  public void addBytes(long n) {
    bytes.add(n);
  }

  public long rows() {
    return rows.sum();
  }

  public long bytes() {
    return bytes.sum();
  }
}
