package io.kiln.datasource.parquet;

import io.kiln.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.Vectors;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/**
 * Late materialization of a morsel's batches: the columns the pushed-down predicates read are
 * decoded first, the predicates select the surviving rows, and only then are the other columns
 * decoded, for the surviving rows alone (their readers skip the rest without decoding it, and
 * leave pages without survivors unopened). When most rows survive, the other columns are decoded
 * straight and compacted, which costs less than walking a fragmented selection.
 */
final class SelectiveBatchReader {
  /**
   * Decode the other columns by selection while fewer than this share of a batch's rows survive.
   * Measured on SF1 lineitem (see the late-mat branch notes): selective decoding wins clearly up
   * to about half the rows when survivors come in runs, and loses once they are scattered and
   * dense, where each short run costs a call per column.
   */
  static final double SELECTIVE_BELOW = 0.5;
  /** ... and while the survivors form at most this many runs per row of the batch. */
  static final double MAX_RUNS_PER_ROW = 0.125;

  private final List<ParquetColumn> distinct;
  private final ColumnValues[] decoders;
  private final DictionaryRowFilter dictionaryFilter;
  private final DecodedRowFilter valueFilter;
  /** Per distinct column: whether a predicate reads it (it is decoded first, for every row). */
  private final boolean[] predicateColumn;
  private final boolean anyOtherColumn;
  private final ScanMetrics metrics;
  private final String where;
  private int[] selection = new int[0];

  private SelectiveBatchReader(List<ParquetColumn> distinct, ColumnValues[] decoders,
      DictionaryRowFilter dictionaryFilter, DecodedRowFilter valueFilter, ScanMetrics metrics, String where) {
    this.distinct = distinct;
    this.decoders = decoders;
    this.dictionaryFilter = dictionaryFilter;
    this.valueFilter = valueFilter;
    this.metrics = metrics;
    this.where = where;
    this.predicateColumn = new boolean[decoders.length];
    boolean other = false;
    for (int d = 0; d < decoders.length; d++) {
      predicateColumn[d] = (dictionaryFilter != null && dictionaryFilter.reads(decoders[d]))
          || (valueFilter != null && valueFilter.reads(d));
      other |= !predicateColumn[d];
    }
    this.anyOtherColumn = other;
  }

  /**
   * A reader of the {@code decoders} of the {@code distinct} columns that applies the scan's
   * {@code filters} (on the row group's {@code columns}) where it can: on dictionary ids through
   * {@code dictionaryFilter} (may be null), on decoded values otherwise.
   */
  static SelectiveBatchReader create(List<ParquetColumn> columns, List<ColumnPredicate> filters,
      List<ParquetColumn> distinct, ColumnValues[] decoders, DictionaryRowFilter dictionaryFilter,
      ScanMetrics metrics, String where) {
    boolean[] decided = new boolean[decoders.length];
    for (int d = 0; d < decoders.length; d++) {
      // Every page of such a chunk is dictionary-encoded, so its ids decide its predicates exactly.
      decided[d] = dictionaryFilter != null && dictionaryFilter.reads(decoders[d]);
    }
    DecodedRowFilter valueFilter = DecodedRowFilter.create(columns, filters, distinct, decided);
    return new SelectiveBatchReader(distinct, decoders, dictionaryFilter, valueFilter, metrics, where);
  }

  /**
   * Decodes the next {@code n} rows of the morsel into {@code decoded} (one vector per distinct
   * column, allocated here) keeping only the rows the predicates may accept, in rows 0..m-1 of
   * every vector; returns m. When m is 0 the vectors are closed and the array entries cleared.
   */
  int read(ValueVector[] decoded, int n, BufferAllocator allocator) {
    for (int d = 0; d < decoders.length; d++) {
      if (predicateColumn[d]) {
        decoded[d] = allocate(d, n, allocator);
        readAll(d, decoded[d], n);
      }
    }
    int m = select(decoded, n);
    if (m == 0) {
      for (int d = 0; d < decoders.length; d++) {
        if (!predicateColumn[d]) {
          skip(d, n, allocator);
        }
      }
      for (int d = 0; d < decoded.length; d++) {
        if (decoded[d] != null) {
          decoded[d].close();
          decoded[d] = null;
        }
      }
      if (anyOtherColumn) {
        metrics.rowsLate(0, n);
      }
      return 0;
    }
    boolean selective = m < n && m < SELECTIVE_BELOW * n && runs(selection, m) <= MAX_RUNS_PER_ROW * n;
    boolean late = false;
    for (int d = 0; d < decoders.length; d++) {
      if (predicateColumn[d]) {
        if (m < n) {
          VectorCompactor.compact(decoded[d], selection, m);
        }
      } else if (selective && decoders[d] instanceof PageColumnReader) {
        decoded[d] = allocate(d, m, allocator);
        readSelected(d, decoded[d], n, m);
        late = true;
      } else {
        decoded[d] = allocate(d, n, allocator);
        readAll(d, decoded[d], n);
        if (m < n) {
          VectorCompactor.compact(decoded[d], selection, m);
        }
      }
    }
    if (late) {
      metrics.rowsLate(m, n - m);
    }
    return m;
  }

  /** Sets {@link #selection} to the positions of the batch's n rows the predicates accept; returns how many. */
  private int select(ValueVector[] decoded, int n) {
    if (selection.length < n) {
      selection = new int[n];
    }
    int m;
    if (dictionaryFilter != null) {
      m = dictionaryFilter.select(n);
      System.arraycopy(dictionaryFilter.rows(), 0, selection, 0, m);
      metrics.rowsFilteredOnDictionary(n - m);
    } else {
      m = n;
      for (int i = 0; i < n; i++) {
        selection[i] = i;
      }
    }
    if (valueFilter != null && m > 0) {
      int before = m;
      m = valueFilter.select(decoded, selection, m, n);
      metrics.rowsFilteredOnValues(before - m);
    }
    return m;
  }

  /** How many runs of consecutive positions the first {@code m} of {@code sel} form. */
  private static int runs(int[] sel, int m) {
    int runs = 1;
    for (int i = 1; i < m; i++) {
      runs += sel[i] != sel[i - 1] + 1 ? 1 : 0;
    }
    return runs;
  }

  private ValueVector allocate(int d, int rows, BufferAllocator allocator) {
    ParquetColumn c = distinct.get(d);
    return Vectors.allocate(c.type, c.name, allocator, rows);
  }

  private void readAll(int d, ValueVector out, int n) {
    try {
      decoders[d].read(out, n);
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(d, e);
    }
    out.setValueCount(n);
  }

  private void readSelected(int d, ValueVector out, int n, int m) {
    try {
      ((PageColumnReader) decoders[d]).readSelected(out, n, selection, m);
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(d, e);
    }
    out.setValueCount(m);
  }

  /** Moves column d past n rows: without decoding where its reader can, else decoded and dropped. */
  private void skip(int d, int n, BufferAllocator allocator) {
    if (decoders[d] instanceof PageColumnReader) {
      try {
        ((PageColumnReader) decoders[d]).skip(n);
      } catch (KilnException e) {
        throw e;
      } catch (RuntimeException e) {
        throw failure(d, e);
      }
      return;
    }
    try (ValueVector scratch = allocate(d, n, allocator)) {
      readAll(d, scratch, n);
    }
  }

  private KilnException failure(int d, RuntimeException e) {
    return KilnException.io("cannot decode " + where + ", column " + distinct.get(d).name + "): " + e, e);
  }
}
