package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.data.DictionaryIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads one morsel of a Parquet file: a row group, or a slice of one (see {@link RowGroupSlicer}),
 * only the projected column chunks, in batches. Its I/O ({@link #open}) comes first and needs no
 * decoding; then the pages are decoded.
 */
final class RowGroupScanTask implements ScanTask {
  static final int BATCH_ROWS = 32 * 1024;

  private final SharedRowGroup group;
  private final RowSlice slice;
  private final int[] projection;
  /** Each distinct projected column is decoded once; repeats in the projection share its buffers. */
  private final List<ParquetColumn> distinct = new ArrayList<>();
  /** Per output column, its index in {@link #distinct}. */
  private final int[] slot;
  /** Per distinct column: whether to attach its dictionary ids to the batches, where its chunk allows. */
  private final boolean[] dictionaryIds;
  private final MessageType requested;
  /** Names file, row group and slice in errors, e.g. "parquet file f.parquet (row group 0, rows 0..1000". */
  private final String where;
  /** The scan's read-ahead and this morsel's place in it, or null when the store does not read ahead. */
  private MorselReadAhead readAhead;
  private int place;

  /** Reads the {@code projection}'s columns, with the dictionary ids of those {@code dictionaryIds} marks. */
  RowGroupScanTask(SharedRowGroup group, RowSlice slice, int[] projection, boolean[] dictionaryIds) {
    this.group = group;
    this.slice = slice;
    this.projection = projection;
    this.slot = new int[projection.length];
    for (int i = 0; i < projection.length; i++) {
      ParquetColumn c = group.columns.get(projection[i]);
      int at = distinct.indexOf(c);
      if (at < 0) {
        at = distinct.size();
        distinct.add(c);
      }
      slot[i] = at;
    }
    this.dictionaryIds = new boolean[distinct.size()];
    for (int i = 0; i < projection.length; i++) {
      this.dictionaryIds[slot[i]] |= dictionaryIds[i];
    }
    this.requested = requestedSchema(distinct);
    this.where = "parquet file " + group.file + " (row group " + group.rowGroup
        + (slice.isWhole(group.block().getRowCount()) ? "" : ", " + slice);
  }

  @Override
  public long estimatedRows() {
    return slice.rows();
  }

  /** Joins the scan's read-ahead (at planning, in plan order). */
  void readAheadIn(MorselReadAhead scan) {
    this.readAhead = scan;
    this.place = scan.add(this);
  }

  /**
   * The bytes of the projected column chunks this morsel fetches, as stored (compressed): for a
   * slice its share of them, by rows. What reading it ahead holds in memory until it runs.
   */
  long estimatedBytes() {
    long bytes = 0;
    for (ParquetColumn c : distinct) {
      ColumnChunkMetaData chunk = RowGroupPruner.find(group.block(), c);
      if (chunk != null) {
        bytes += chunk.getTotalSize();
      }
    }
    long groupRows = group.block().getRowCount();
    return slice.isWhole(groupRows) ? bytes : (long) Math.ceil((double) bytes * slice.rows() / groupRows);
  }

  /** Counts this morsel as read ahead of the workers. */
  void countReadAhead() {
    group.metrics.morselReadAhead();
  }

  @Override
  public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
    if (projection.length == 0) {
      group.metrics.rowGroupRead();
      group.metrics.morselRead();
      // Nothing to decode (e.g. count(*)): the footer's row count is the answer.
      long rows = slice.rows();
      for (long done = 0; done < rows && !stop.getAsBoolean(); done += BATCH_ROWS) {
        out.accept(new Batch(new ValueVector[0], (int) Math.min(BATCH_ROWS, rows - done)));
      }
      return;
    }
    if (stop.getAsBoolean()) {
      return; // e.g. a LIMIT reached while this morsel waited: neither fetch it nor read ahead
    }
    PrefetchedMorsel ahead = readAhead != null ? readAhead.starting(place, allocator) : null;
    OpenMorsel morsel = ahead != null ? ahead.take() : open();
    if (morsel == null) {
      return;
    }
    try (morsel) {
      decode(morsel, allocator, out, stop);
    } catch (IOException e) {
      throw failure(e, null); // closing the stream failed
    }
  }

  /** Releases what was read ahead for this morsel if it never ran. */
  @Override
  public void close() {
    if (readAhead != null) {
      readAhead.closing(place);
    }
  }

  /**
   * Fetches the morsel's pages: those of its rows that the row group's verdict leaves. Null when
   * it has nothing to read (the row group is skipped, or no selected row lies in this slice).
   */
  OpenMorsel open() {
    ParquetFileReader reader = null;
    try {
      reader = new IndexCachingFileReader(group.input, group.footer, group.input.newStream(), group.indexes,
          group.indexRegion);
      reader.setRequestedSchema(requested);
      long groupRows = group.block().getRowCount();
      SharedRowGroup.Verdict verdict = group.verdict(reader, distinct, !slice.isWhole(groupRows));
      RowRanges rows = verdict.rows();
      if (!verdict.skip() && !slice.isWhole(groupRows)) {
        RowRanges mine = slice.asRowRanges(groupRows);
        rows = rows == null ? mine : RowRanges.intersection(rows, mine);
      }
      if (verdict.skip() || (rows != null && rows.rowCount() == 0)) {
        reader.close();
        return null;
      }
      group.metrics.morselRead();
      // A filtered read fetches only the pages holding the rows; they carry their first row index.
      PageReadStore pages = rows == null ? reader.readRowGroup(group.rowGroup)
          : reader.readFilteredRowGroup(group.rowGroup, rows);
      if (pages == null) {
        throw KilnException.io(where + ") is missing", null);
      }
      return new OpenMorsel(reader, pages, rows == null ? RowSelection.all(groupRows) : RowSelection.of(rows),
          new PageOwnership(verdict.rows(), slice.start()));
    } catch (IOException | RuntimeException | StackOverflowError e) {
      KilnException failure = failure(e, null);
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException | RuntimeException closing) {
          failure.addSuppressed(closing);
        }
      }
      throw failure;
    }
  }

  private void decode(OpenMorsel morsel, BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
    ParquetColumn current = null;
    try {
      PageReadStore pages = morsel.pages;
      PageColumnReader[] decoders = new PageColumnReader[distinct.size()];
      for (int d = 0; d < decoders.length; d++) {
        current = distinct.get(d);
        ColumnDescriptor descriptor = requested.getColumnDescription(current.descriptor.getPath());
        decoders[d] = PageColumnReader.create(current, pages.getPageReader(descriptor), morsel.rows,
            where + ", column " + current.name + ")", group.metrics, morsel.ownership);
      }
      current = null;
      SelectiveBatchReader reader = SelectiveBatchReader.create(group.block(), group.columns, group.filters, distinct,
          decoders, dictionaryIds, group.metrics, where, allocator);
      long selectedRows = morsel.rows.rowCount();
      for (long done = 0; done < selectedRows; ) {
        if (stop.getAsBoolean()) {
          return;
        }
        int n = (int) Math.min(BATCH_ROWS, selectedRows - done);
        Batch batch = decodeBatch(reader, n, allocator);
        if (batch != null) {
          out.accept(batch);
        }
        done += n;
      }
    } catch (KilnException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw failure(e, current);
    }
  }

  /**
   * A failure to read the morsel as an I/O error naming file, row group, slice and column. Corrupt
   * page headers can send the Thrift decoder into unbounded recursion; the stack has unwound by
   * the time this runs, so StackOverflowError is reported like any other corruption.
   */
  private KilnException failure(Throwable e, ParquetColumn column) {
    if (e instanceof KilnException) {
      return (KilnException) e;
    }
    if (e instanceof org.apache.arrow.memory.OutOfMemoryException) { // the memory limit, not the file
      return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded reading " + where + "): "
          + e.getMessage() + " (raise it with memoryLimit / --memory-limit)", e);
    }
    return KilnException.io("cannot read " + where + ", " + (column != null ? "column " + column.name
        : columnNames(distinct)) + "; truncated or corrupt?): " + e, e);
  }

  private static String columnNames(List<ParquetColumn> cols) {
    StringBuilder sb = new StringBuilder(cols.size() == 1 ? "column " : "columns ");
    for (int i = 0; i < cols.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(cols.get(i).name);
    }
    return sb.toString();
  }

  /** The next {@code n} rows, less those the pushed-down predicates drop; null if they drop them all. */
  private Batch decodeBatch(SelectiveBatchReader reader, int n, BufferAllocator allocator) {
    ValueVector[] decoded = new ValueVector[distinct.size()];
    ValueVector[] result = new ValueVector[slot.length];
    try {
      n = reader.read(decoded, n, allocator);
      if (n == 0) {
        return null;
      }
      DictionaryIds[] ids = null;
      for (int i = 0; i < slot.length; i++) {
        DictionaryIds d = reader.dictionaryIds(slot[i]);
        if (d != null) {
          ids = ids != null ? ids : new DictionaryIds[slot.length];
          ids[i] = d;
        }
      }
      boolean[] used = new boolean[decoded.length];
      for (int i = 0; i < slot.length; i++) {
        ValueVector v = decoded[slot[i]];
        if (!used[slot[i]]) {
          result[i] = v;
          used[slot[i]] = true;
        } else {
          TransferPair tp = v.getTransferPair(allocator);
          tp.splitAndTransfer(0, n);
          result[i] = tp.getTo();
        }
      }
      return new Batch(result, n, ids);
    } catch (RuntimeException e) {
      closeAfterFailure(e, result, decoded);
      throw e;
    }
  }

  private static void closeAfterFailure(RuntimeException failure, ValueVector[] a, ValueVector[] b) {
    List<AutoCloseable> all = new ArrayList<>();
    for (ValueVector v : a) {
      if (v != null) {
        all.add(v);
      }
    }
    for (ValueVector v : b) {
      if (v != null && !all.contains(v)) {
        all.add(v);
      }
    }
    try {
      AutoCloseables.close(all);
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private static MessageType requestedSchema(List<ParquetColumn> cols) {
    List<Type> fields = new ArrayList<>();
    for (ParquetColumn c : cols) {
      fields.add(c.descriptor.getPrimitiveType());
    }
    return new MessageType("schema", fields);
  }
}
