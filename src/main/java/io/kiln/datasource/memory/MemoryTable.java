package io.kiln.datasource.memory;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.catalog.TableStatistics;
import io.kiln.data.ArrowConversion;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * A table held in memory as internal batches the table owns. Scans hand out new vectors (shared,
 * reference-counted slices when allocators allow, else copies), never the table's own, so the
 * table stays valid across any number of scans until {@link #close()}.
 */
public final class MemoryTable implements TableProvider, AutoCloseable {
  static final int BATCH_ROWS = 32 * 1024;
  /** What a memory table's scan task descriptors name as their location: the table has no file. */
  public static final String LOCATION = "memory";

  private final Schema schema;
  private final List<DataType> types;
  private final List<Batch> batches;
  private final long rowCount;
  private volatile boolean closed;
  /** Computed at the first {@link #statistics} call: the table never changes. */
  private volatile TableStatistics statistics;

  /** Copies the given Arrow roots (which stay owned by the caller) into the table's own batches. */
  public MemoryTable(Schema schema, List<VectorSchemaRoot> roots, BufferAllocator allocator) {
    this.schema = schema;
    this.types = typesOf(schema);
    List<Batch> held = new ArrayList<>();
    try {
      for (VectorSchemaRoot root : roots) {
        if (root.getFieldVectors().size() != types.size()) {
          throw KilnException.execution("memory table: a batch has " + root.getFieldVectors().size()
              + " columns, the schema " + types.size());
        }
        ValueVector[] cols = new ValueVector[types.size()];
        try {
          for (int c = 0; c < cols.length; c++) {
            FieldVector v = root.getVector(c);
            cols[c] = ArrowConversion.toInternal(v, types.get(c), allocator);
          }
        } catch (RuntimeException e) {
          closeAll(cols);
          throw e;
        }
        held.add(new Batch(cols, root.getRowCount()));
      }
    } catch (RuntimeException e) {
      held.forEach(Batch::close);
      throw e;
    }
    this.batches = Collections.unmodifiableList(held);
    this.rowCount = held.stream().mapToLong(Batch::rowCount).sum();
  }

  private MemoryTable(Schema schema, List<DataType> types, List<Batch> batches) {
    this.schema = schema;
    this.types = types;
    this.batches = Collections.unmodifiableList(batches);
    this.rowCount = batches.stream().mapToLong(Batch::rowCount).sum();
  }

  /** A table from Java values per row, as {@link Vectors#set} accepts them (null for NULL). */
  public static MemoryTable fromRows(Schema schema, List<Object[]> rows, BufferAllocator allocator) {
    List<DataType> types = typesOf(schema);
    List<Batch> batches = new ArrayList<>();
    try {
      for (int start = 0; start < rows.size(); start += BATCH_ROWS) {
        int n = Math.min(BATCH_ROWS, rows.size() - start);
        ValueVector[] cols = new ValueVector[types.size()];
        try {
          for (int c = 0; c < cols.length; c++) {
            cols[c] = Vectors.allocate(types.get(c), schema.getFields().get(c).getName(), allocator, n);
          }
          for (int r = 0; r < n; r++) {
            Object[] row = rows.get(start + r);
            if (row.length != cols.length) {
              throw KilnException.execution("memory table: row " + (start + r) + " has " + row.length
                  + " values, the schema " + cols.length + " columns");
            }
            for (int c = 0; c < cols.length; c++) {
              try {
                Vectors.set(cols[c], types.get(c), r, row[c]);
              } catch (ClassCastException | ArithmeticException | NumberFormatException e) {
                throw KilnException.execution("memory table: row " + (start + r) + ", column "
                    + schema.getFields().get(c).getName() + ": " + row[c] + " is not a " + types.get(c));
              }
            }
          }
        } catch (RuntimeException e) {
          closeAll(cols);
          throw e;
        }
        batches.add(new Batch(cols, n));
      }
    } catch (RuntimeException e) {
      batches.forEach(Batch::close);
      throw e;
    }
    return new MemoryTable(schema, types, batches);
  }

  /**
   * A table taking ownership of {@code batches}, already in the engine's encoding of the schema's
   * types and allocated where they may outlive any query (a CREATE TABLE ... AS's result). Empty
   * batches are released at once.
   */
  public static MemoryTable adopt(Schema schema, List<Batch> batches) {
    List<DataType> types = typesOf(schema);
    List<Batch> held = new ArrayList<>();
    for (Batch b : batches) {
      if (b.columnCount() != types.size()) {
        batches.forEach(Batch::close);
        throw KilnException.execution("memory table: a batch has " + b.columnCount() + " columns, the schema "
            + types.size());
      }
    }
    for (Batch b : batches) {
      if (b.rowCount() == 0) {
        b.close();
      } else {
        held.add(b);
      }
    }
    return new MemoryTable(schema, types, held);
  }

  /**
   * A new table with this table's rows followed by {@code more}'s (which it takes ownership of,
   * as {@link #adopt} does). It shares this table's buffers, so this table can be closed
   * afterwards without copying anything.
   */
  public MemoryTable append(List<Batch> more, BufferAllocator allocator) {
    List<Batch> all;
    try {
      all = sharedBatches(allocator);
    } catch (RuntimeException e) {
      more.forEach(Batch::close);
      throw e;
    }
    all.addAll(more);
    return adopt(schema, all);
  }

  /** The table's batches as new vectors sharing its buffers (the caller owns them). */
  public List<Batch> sharedBatches(BufferAllocator allocator) {
    if (closed) {
      throw KilnException.execution("memory table was closed; it can no longer be read");
    }
    List<Batch> all = new ArrayList<>();
    try {
      for (Batch b : batches) {
        ValueVector[] cols = new ValueVector[types.size()];
        try {
          for (int c = 0; c < cols.length; c++) {
            cols[c] = share(b.column(c), b.rowCount(), allocator);
          }
        } catch (RuntimeException e) {
          closeAll(cols);
          throw e;
        }
        all.add(new Batch(cols, b.rowCount()));
      }
    } catch (RuntimeException e) {
      all.forEach(Batch::close);
      throw e;
    }
    return all;
  }

  /** The SQL types of a schema's columns, in order, as a memory table of that schema holds them. */
  public static List<DataType> typesOf(Schema schema) {
    List<DataType> out = new ArrayList<>();
    for (Field f : schema.getFields()) {
      out.add(DataType.fromArrow(f.getType(), f.getName()));
    }
    return List.copyOf(out);
  }

  private static void closeAll(ValueVector[] cols) {
    for (ValueVector v : cols) {
      if (v != null) {
        v.close();
      }
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  /**
   * The row count and, as Parquet footers give them, bounds on distinct values: an integer or
   * date column whose values lie in [min, max] has at most max - min + 1 of them (join ordering
   * tells keys from low-cardinality references by them). Found in one pass at the first call.
   */
  @Override
  public TableStatistics statistics() {
    TableStatistics s = statistics;
    if (s == null) {
      s = closed ? TableStatistics.ofRowCount(rowCount)
          : new TableStatistics(java.util.OptionalLong.of(rowCount), distinctBounds());
      statistics = s;
    }
    return s;
  }

  private java.util.Map<String, Long> distinctBounds() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (int c = 0; c < types.size(); c++) {
      if (!(types.get(c).isInteger() || types.get(c).id() == DataType.Id.DATE)) {
        continue;
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (Batch b : batches) {
        org.apache.arrow.vector.BigIntVector v = (org.apache.arrow.vector.BigIntVector) b.column(c);
        for (int r = 0; r < b.rowCount(); r++) {
          if (!v.isNull(r)) {
            long x = v.get(r);
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
        }
      }
      if (min <= max) {
        long span = max - min + 1;
        out.put(schema.getFields().get(c).getName().toLowerCase(java.util.Locale.ROOT),
            Math.max(1, span > 0 ? Math.min(span, rowCount) : rowCount));
      }
    }
    return out;
  }

  /** One descriptor per non-empty batch, named {@link #LOCATION} and the batch's index. */
  @Override
  public List<ScanTaskDescriptor> splitScan(ScanRequest request) {
    List<ScanTaskDescriptor> out = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      int rows = batches.get(i).rowCount();
      if (rows > 0) {
        out.add(new ScanTaskDescriptor(LOCATION, i, 0, rows, rows));
      }
    }
    return out;
  }

  @Override
  public List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors) {
    int[] projection = request.projection();
    List<ScanTask> tasks = new ArrayList<>();
    for (ScanTaskDescriptor d : descriptors) {
      tasks.add(new BatchTask(batchOf(d), projection));
    }
    return tasks;
  }

  /** The batch a descriptor names; it reads whole batches only, as {@link #splitScan} makes them. */
  private Batch batchOf(ScanTaskDescriptor d) {
    if (!d.location().equals(LOCATION) || d.rowGroup() >= batches.size()) {
      throw KilnException.execution("memory table (" + rowCount + " rows, " + batches.size()
          + " batches) has no batch " + d.location() + "#" + d.rowGroup() + " (scan task " + d + ")");
    }
    Batch b = batches.get(d.rowGroup());
    if (d.firstRow() != 0 || (!d.toTheEnd() && d.rowCount() != b.rowCount())) {
      throw KilnException.execution("memory table: scan task " + d + " is not all of batch " + d.rowGroup() + " ("
          + b.rowCount() + " rows); a memory table's tasks are whole batches");
    }
    return b;
  }

  @Override
  public String describe() {
    return "memory (" + rowCount + " rows, " + batches.size() + " batches)";
  }

  public long rowCount() {
    return rowCount;
  }

  /** Releases the table's batches; scans already handed out keep their own vectors. */
  @Override
  public void close() {
    closed = true;
    batches.forEach(Batch::close);
  }

  /** Hands out one held batch's projected columns as new vectors. */
  private final class BatchTask implements ScanTask {
    private final Batch batch;
    private final int[] projection;

    BatchTask(Batch batch, int[] projection) {
      this.batch = batch;
      this.projection = projection;
    }

    @Override
    public long estimatedRows() {
      return batch.rowCount();
    }

    @Override
    public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
      if (closed) {
        throw KilnException.execution("memory table was closed; it can no longer be scanned");
      }
      if (stop.getAsBoolean()) {
        return;
      }
      int n = batch.rowCount();
      ValueVector[] cols = new ValueVector[projection.length];
      try {
        for (int i = 0; i < cols.length; i++) {
          cols[i] = share(batch.column(projection[i]), n, allocator);
        }
      } catch (RuntimeException e) {
        closeAll(cols);
        throw e;
      }
      out.accept(new Batch(cols, n));
    }
  }

  /**
   * A new vector with the same values: a reference-counted slice of the same buffers when both
   * allocators share a root (no copy), otherwise a copy, since Arrow cannot share across roots.
   */
  private static ValueVector share(ValueVector src, int n, BufferAllocator allocator) {
    if (src.getAllocator().getRoot() == allocator.getRoot()) {
      TransferPair tp = src.getTransferPair(allocator);
      tp.splitAndTransfer(0, n);
      return tp.getTo();
    }
    ValueVector dst = src.getTransferPair(src.getField().getName(), allocator).getTo();
    try {
      dst.setInitialCapacity(n);
      dst.allocateNew();
      for (int i = 0; i < n; i++) {
        dst.copyFromSafe(i, i, src);
      }
    } catch (RuntimeException e) {
      dst.close(); // not yet handed to the caller, so nobody else would release it
      throw e;
    }
    dst.setValueCount(n);
    return dst;
  }
}
