package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.DictionaryIds;
import io.kiln.data.Vectors;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Late materialization of a morsel's batches: the columns the pushed-down predicates read are
 * decoded first (as dictionary ids alone where every page of the chunk is dictionary-encoded, see
 * {@link DictionaryIdColumn}), the predicates select the surviving rows, and only then are the
 * other columns decoded, for the surviving rows alone (their readers skip the rest without
 * decoding it, and leave pages without survivors unopened). When survivors are scattered, the
 * other columns are decoded straight and compacted, which costs less than walking a fragmented
 * selection. When half or more of the rows survive, the batch keeps all its rows: the filter above
 * the scan re-evaluates every predicate, which costs less than compacting every column; and the
 * next batches skip the predicates, so that the filter above alone evaluates them (TPC-H Q13's
 * {@code NOT LIKE} on o_comment passes 99% of the rows and was evaluated twice). Columns whose
 * consumer wants their dictionary ids (and whose every page is dictionary-encoded) are read as ids
 * too, and hand the ids of the rows kept on.
 */
final class SelectiveBatchReader {
  /**
   * Decode the other columns by selection while fewer than this share of a batch's rows survive,
   * and while the survivors form at most {@link #MAX_RUNS_PER_ROW} runs per row of the batch (the
   * selective walk costs a call per run and column). A first choice, not a tuned optimum: on SF1
   * lineitem with scattered survivors (l_partkey ranges; 2 shared, busy cores) forcing either path
   * differed by less than the noise from 1% to 30% survivors, and straight decoding was about 10%
   * faster at 50%. Runs (survivors in sorted or clustered data) favour the selective path. From
   * this share up, nothing is removed at all (TPC-H Q1 keeps 98% of lineitem, whose compaction of
   * seven columns took 17% of the query's time).
   */
  static final double SELECTIVE_BELOW = 0.5;
  static final double MAX_RUNS_PER_ROW = 0.125;

  private final List<ParquetColumn> distinct;
  private final PageColumnReader[] decoders;
  /**
   * Per distinct column: read as dictionary ids when its predicates are decided on them or its ids
   * are handed on, else null.
   */
  private final DictionaryIdColumn[] idColumns;
  private final boolean[] decidedOnIds;
  /** Per distinct column: whether its ids go with the batch ({@link #dictionaryIds}). */
  private final boolean[] handsOnIds;
  /** The ids handed on with the batch last read, per distinct column. */
  private final DictionaryIds[] batchIds;
  private final DecodedRowFilter valueFilter;
  /** Per distinct column: whether a predicate reads it (it is decoded first, for every row). */
  private final boolean[] predicateColumn;
  private final boolean anyOtherColumn;
  private final ScanMetrics metrics;
  private final String where;
  private int[] selection = new int[0];
  /** 0, 1, 2, ...: see {@link #allRows}. */
  private int[] allRows = new int[0];
  /**
   * Whether most rows of the last batch the predicates were evaluated on passed them. The batches
   * after it are then decoded whole and left to the filter above the scan (which evaluates every
   * predicate again), except every {@link #RECHECK_EVERY}th, which shows whether that still holds.
   */
  private boolean mostPassed;
  private int batchesUnfiltered;
  static final int RECHECK_EVERY = 4;

  private SelectiveBatchReader(List<ParquetColumn> distinct, PageColumnReader[] decoders, DictionaryIdColumn[] idColumns,
      boolean[] handsOnIds, DecodedRowFilter valueFilter, ScanMetrics metrics, String where) {
    this.distinct = distinct;
    this.decoders = decoders;
    this.idColumns = idColumns;
    this.valueFilter = valueFilter;
    this.metrics = metrics;
    this.where = where;
    this.predicateColumn = new boolean[decoders.length];
    this.decidedOnIds = new boolean[decoders.length];
    this.handsOnIds = handsOnIds;
    this.batchIds = new DictionaryIds[decoders.length];
    boolean other = false;
    for (int d = 0; d < decoders.length; d++) {
      decidedOnIds[d] = idColumns[d] != null && idColumns[d].filters();
      predicateColumn[d] = valueFilter != null && valueFilter.reads(d);
      other |= !predicateColumn[d];
    }
    this.anyOtherColumn = other;
  }

  /**
   * A reader of the {@code decoders} of the {@code distinct} columns of row group {@code block}
   * that applies the scan's {@code filters} (on the row group's {@code columns}) where it can
   * decide them exactly: on dictionary ids where a chunk is all dictionary-encoded, on decoded
   * values otherwise. The columns {@code dictionaryIds} marks hand their ids on where their
   * chunk is all dictionary-encoded and no predicate decodes their values first. {@code allocator}
   * holds dictionaries while their entries are tested.
   */
  static SelectiveBatchReader create(BlockMetaData block, List<ParquetColumn> columns, List<ColumnPredicate> filters,
      List<ParquetColumn> distinct, PageColumnReader[] decoders, boolean[] dictionaryIds, ScanMetrics metrics,
      String where, BufferAllocator allocator) {
    DecodedRowFilter valueFilter = DecodedRowFilter.create(columns, filters, distinct);
    DictionaryIdColumn[] idColumns = new DictionaryIdColumn[decoders.length];
    boolean[] handsOnIds = new boolean[decoders.length];
    for (int d = 0; d < decoders.length; d++) {
      boolean predicate = valueFilter != null && valueFilter.reads(d);
      // Every page of such a chunk is dictionary-encoded, so ids decide each row's predicates exactly.
      if ((predicate || dictionaryIds[d]) && allDictionary(block, distinct.get(d))) {
        idColumns[d] = predicate ? DictionaryIdColumn.create(distinct.get(d), d, decoders[d], valueFilter, allocator)
            : DictionaryIdColumn.unfiltered(decoders[d]);
      }
      handsOnIds[d] = dictionaryIds[d] && idColumns[d] != null;
    }
    return new SelectiveBatchReader(distinct, decoders, idColumns, handsOnIds, valueFilter, metrics, where);
  }

  private static boolean allDictionary(BlockMetaData block, ParquetColumn column) {
    ColumnChunkMetaData chunk = RowGroupPruner.find(block, column);
    return chunk != null && DictionaryPruner.onlyDictionaryPages(chunk);
  }

  /**
   * Decodes the next {@code n} rows of the morsel into {@code decoded} (one vector per distinct
   * column, allocated here) keeping, in rows 0..m-1 of every vector, every row the predicates
   * accept and, when most do, the rows they reject as well; returns m. When m is 0 the vectors are closed and the array entries cleared.
   * Then {@link #dictionaryIds} gives the ids of the m rows of the columns handing them on.
   */
  int read(ValueVector[] decoded, int n, BufferAllocator allocator) {
    java.util.Arrays.fill(batchIds, null);
    if (mostPassed && ++batchesUnfiltered % RECHECK_EVERY != 0) {
      for (int d = 0; d < decoders.length; d++) {
        decoded[d] = allocate(d, n, allocator);
        if (handsOnIds[d]) {
          readIds(d, n);
          idColumns[d].materialize(decoded[d], allRows(n), n);
        } else {
          readAll(d, decoded[d], n);
        }
      }
      handOnIds(allRows(n), n);
      metrics.rowsLeftToFilterAbove(n);
      return n;
    }
    for (int d = 0; d < decoders.length; d++) {
      if (decidedOnIds[d]) {
        readIds(d, n);
      } else if (predicateColumn[d]) {
        decoded[d] = allocate(d, n, allocator);
        readAll(d, decoded[d], n);
      }
    }
    int m = select(decoded, n);
    mostPassed = valueFilter != null && m >= SELECTIVE_BELOW * n;
    batchesUnfiltered = 0;
    if (m == 0) {
      for (int d = 0; d < decoders.length; d++) {
        if (!predicateColumn[d]) {
          skip(d, n);
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
    if (mostPassed) {
      m = n; // the filter above the scan drops the few rejected rows for less than compaction costs
    }
    boolean selective = m < n && runs(selection, m) <= MAX_RUNS_PER_ROW * n;
    boolean late = false;
    int[] kept = m == n ? allRows(n) : selection; // without predicates, or keeping all, the selection is unused
    for (int d = 0; d < decoders.length; d++) {
      if (decidedOnIds[d]) {
        decoded[d] = allocate(d, m, allocator);
        idColumns[d].materialize(decoded[d], kept, m);
      } else if (predicateColumn[d]) {
        if (m < n) {
          VectorCompactor.compact(decoded[d], selection, m);
        }
      } else if (idColumns[d] != null) {
        readIds(d, n);
        decoded[d] = allocate(d, m, allocator);
        idColumns[d].materialize(decoded[d], kept, m);
      } else if (selective) {
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
    handOnIds(kept, m);
    return m;
  }

  /** Notes the ids of the batch's rows {@code rows[0..m)} of the columns handing them on. */
  private void handOnIds(int[] rows, int m) {
    for (int d = 0; d < decoders.length; d++) {
      if (handsOnIds[d]) {
        batchIds[d] = idColumns[d].idsOf(rows, m);
      }
    }
  }

  /** The positions 0..n-1 (of an array that may be longer), for columns handing ids on from whole batches. */
  private int[] allRows(int n) {
    if (allRows.length < n) {
      allRows = new int[n];
      for (int i = 0; i < n; i++) {
        allRows[i] = i;
      }
    }
    return allRows;
  }

  /** The dictionary ids of distinct column d's rows in the batch {@link #read} made last, or null. */
  DictionaryIds dictionaryIds(int d) {
    return batchIds[d];
  }

  /** Sets {@link #selection} to the positions of the batch's n rows the predicates accept; returns how many. */
  private int select(ValueVector[] decoded, int n) {
    if (valueFilter == null) {
      return n; // no predicate (ids are decided only for columns a predicate reads): the selection is unused
    }
    if (selection.length < n) {
      selection = new int[n];
    }
    for (int i = 0; i < n; i++) {
      selection[i] = i;
    }
    int m = n;
    for (int d = 0; d < decoders.length && m > 0; d++) {
      if (decidedOnIds[d]) {
        m = idColumns[d].narrow(selection, m);
      }
    }
    metrics.rowsFilteredOnDictionary(n - m);
    if (valueFilter != null && m > 0) {
      int before = m;
      m = valueFilter.select(decoded, selection, m, n, decidedOnIds);
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

  private void readIds(int d, int n) {
    try {
      idColumns[d].readIds(n);
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(d, e);
    }
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
      decoders[d].readSelected(out, n, selection, m);
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(d, e);
    }
    out.setValueCount(m);
  }

  /** Moves column d past n rows without decoding them. */
  private void skip(int d, int n) {
    try {
      decoders[d].skip(n);
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(d, e);
    }
  }

  private KilnException failure(int d, RuntimeException e) {
    if (e instanceof org.apache.arrow.memory.OutOfMemoryException) { // the memory limit, not the file
      return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded decoding " + where
          + ", column " + distinct.get(d).name + "): " + e.getMessage() + " (raise it with memoryLimit / --memory-limit)", e);
    }
    return KilnException.io("cannot decode " + where + ", column " + distinct.get(d).name + "): " + e, e);
  }
}
