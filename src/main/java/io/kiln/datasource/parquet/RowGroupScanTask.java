package io.kiln.datasource.parquet;

import io.kiln.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.datasource.objectstore.StoredFile;
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
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Reads one row group of one file: only the projected column chunks, in batches. */
final class RowGroupScanTask implements ScanTask {
  static final int BATCH_ROWS = 32 * 1024;

  private final StoredFile file;
  private final InputFile input;
  private final ParquetMetadata footer;
  private final int rowGroup;
  private final List<ParquetColumn> columns;
  private final int[] projection;
  private final ScanMetrics metrics;

  private final List<ColumnPredicate> filters;

  RowGroupScanTask(StoredFile file, InputFile input, ParquetMetadata footer, int rowGroup, List<ParquetColumn> columns,
      int[] projection) {
    this(file, input, footer, rowGroup, columns, projection, List.of(), new ScanMetrics());
  }

  /** Filters are advisory (the engine re-applies them); they may let the task skip its row group. */
  RowGroupScanTask(StoredFile file, InputFile input, ParquetMetadata footer, int rowGroup, List<ParquetColumn> columns,
      int[] projection, List<ColumnPredicate> filters, ScanMetrics metrics) {
    this.filters = filters;
    this.metrics = metrics;
    this.file = file;
    this.input = input;
    this.footer = footer;
    this.rowGroup = rowGroup;
    this.columns = columns;
    this.projection = projection;
  }

  @Override
  public long estimatedRows() {
    return footer.getBlocks().get(rowGroup).getRowCount();
  }

  @Override
  public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
    long rows = estimatedRows();
    if (projection.length == 0) {
      metrics.rowGroupRead();
      // Nothing to decode (e.g. count(*)): the footer's row count is the answer.
      for (long done = 0; done < rows && !stop.getAsBoolean(); done += BATCH_ROWS) {
        out.accept(new Batch(new ValueVector[0], (int) Math.min(BATCH_ROWS, rows - done)));
      }
      return;
    }
    // Each distinct column is decoded once; repeats in the projection share its buffers.
    List<ParquetColumn> distinct = new ArrayList<>();
    int[] slot = new int[projection.length];
    for (int i = 0; i < projection.length; i++) {
      ParquetColumn c = columns.get(projection[i]);
      int at = distinct.indexOf(c);
      if (at < 0) {
        at = distinct.size();
        distinct.add(c);
      }
      slot[i] = at;
    }
    MessageType requested = requestedSchema(distinct);
    ParquetColumn current = null;
    try (ParquetFileReader reader = new ParquetFileReader(input, footer, ParquetTable.readOptions(), input.newStream())) {
      reader.setRequestedSchema(requested);
      if (!filters.isEmpty() && DictionaryPruner.provesNoMatch(footer.getBlocks().get(rowGroup), columns, filters,
          reader.getDictionaryReader(rowGroup), "parquet file " + file + " (row group " + rowGroup)) {
        metrics.rowGroupSkippedByDictionary();
        return;
      }
      String where = "parquet file " + file + " (row group " + rowGroup;
      PageIndexPruner.Selection selected = filters.isEmpty() ? null
          : new PageIndexPruner(reader, footer.getBlocks().get(rowGroup), where + ")").select(columns, filters,
              distinct);
      if (selected != null && selected.rows().rowCount() == 0) {
        metrics.rowGroupSkippedByColumnIndex();
        return;
      }
      metrics.rowGroupRead();
      RowSelection selection = RowSelection.all(rows);
      PageReadStore pages;
      if (selected == null) {
        pages = reader.readRowGroup(rowGroup);
      } else {
        metrics.pagesSkipped(selected.pagesSkipped());
        selection = RowSelection.of(selected.rows());
        pages = reader.readFilteredRowGroup(rowGroup, selected.rows());
      }
      if (pages == null) {
        throw KilnException.io("parquet file " + file + ": row group " + rowGroup + " is missing", null);
      }
      ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new IgnoringConverter(distinct.size()), requested,
          footer.getFileMetaData().getCreatedBy());
      ColumnValues[] decoders = new ColumnValues[distinct.size()];
      for (int d = 0; d < decoders.length; d++) {
        current = distinct.get(d);
        ColumnDescriptor descriptor = requested.getColumnDescription(current.descriptor.getPath());
        decoders[d] = PageColumnReader.tryCreate(current, pages.getPageReader(descriptor), selection,
            where + ", column " + current.name + ")", metrics);
        if (decoders[d] == null) {
          decoders[d] = new ColumnDecoder(current, store.getColumnReader(descriptor), file.toString());
        }
      }
      current = null;
      DictionaryRowFilter rowFilter = DictionaryRowFilter.create(footer.getBlocks().get(rowGroup), columns, filters,
          distinct, decoders);
      // A filtered page store synchronises the value-at-a-time decoder on the same rows.
      long selectedRows = selection.rowCount();
      for (long done = 0; done < selectedRows; ) {
        if (stop.getAsBoolean()) {
          return;
        }
        int n = (int) Math.min(BATCH_ROWS, selectedRows - done);
        Batch batch = decodeBatch(decoders, distinct, slot, n, rowFilter, allocator);
        if (batch != null) {
          out.accept(batch);
        }
        done += n;
      }
    } catch (KilnException e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // Corrupt page headers can send the Thrift decoder into unbounded recursion; the stack has
      // unwound by here, so it is reported like any other corruption.
      throw KilnException.io("cannot read parquet file " + file + " (row group " + rowGroup + ", "
          + (current != null ? "column " + current.name : columnNames(distinct)) + "; truncated or corrupt?): " + e, e);
    }
  }

  private static String columnNames(List<ParquetColumn> cols) {
    StringBuilder sb = new StringBuilder(cols.size() == 1 ? "column " : "columns ");
    for (int i = 0; i < cols.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(cols.get(i).name);
    }
    return sb.toString();
  }

  /** The next {@code n} rows, less those the dictionary filter drops; null if it drops them all. */
  private Batch decodeBatch(ColumnValues[] decoders, List<ParquetColumn> distinct, int[] slot, int n,
      DictionaryRowFilter rowFilter, BufferAllocator allocator) {
    ValueVector[] decoded = new ValueVector[decoders.length];
    ValueVector[] result = new ValueVector[slot.length];
    try {
      for (int d = 0; d < decoders.length; d++) {
        ParquetColumn c = distinct.get(d);
        decoded[d] = Vectors.allocate(c.type, c.name, allocator, n);
        try {
          decoders[d].read(decoded[d], n);
        } catch (KilnException e) {
          throw e;
        } catch (RuntimeException e) {
          throw KilnException.io("cannot decode parquet file " + file + " (row group " + rowGroup + ", column "
              + c.name + "): " + e, e);
        }
        decoded[d].setValueCount(n);
      }
      if (rowFilter != null) {
        int m = rowFilter.select(n);
        metrics.rowsFilteredOnDictionary(n - m);
        if (m == 0) {
          for (ValueVector v : decoded) {
            v.close();
          }
          return null;
        }
        if (m < n) {
          for (ValueVector v : decoded) {
            VectorCompactor.compact(v, rowFilter.rows(), m);
          }
          n = m;
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
      return new Batch(result, n);
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

  /** ColumnReadStoreImpl needs a converter tree; values are read through the column API instead. */
  private static final class IgnoringConverter extends GroupConverter {
    private final PrimitiveConverter primitive = new PrimitiveConverter() {};
    private final int fields;

    IgnoringConverter(int fields) {
      this.fields = fields;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      if (fieldIndex >= fields) {
        throw new IndexOutOfBoundsException(fieldIndex);
      }
      return primitive;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
