package io.kiln.datasource.csv;

import io.kiln.error.KilnException;
import io.kiln.catalog.ReadTotals;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.commons.csv.CSVRecord;

/** Reads a whole CSV file, parsing only the projected fields, in batches. */
final class CsvScanTask implements ScanTask {
  static final int BATCH_ROWS = 16 * 1024;

  private final CsvTable table;
  private final int[] projection;
  private final ReadTotals readTotals;

  CsvScanTask(CsvTable table, int[] projection, ReadTotals readTotals) {
    this.table = table;
    this.projection = projection;
    this.readTotals = readTotals;
  }

  @Override
  public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
    List<DataType> types = table.types();
    int width = table.schema().getFields().size();
    CsvTable.Reader r = CsvTable.open(table.file(), table.options());
    try (r) {
      if (r.header().size() != width) {
        throw KilnException.execution("CSV file " + table.file() + " now has " + r.header().size()
            + " header columns; the table was defined with " + width);
      }
      while (!stop.getAsBoolean()) {
        ValueVector[] cols = new ValueVector[projection.length];
        int n = 0;
        try {
          for (int i = 0; i < cols.length; i++) {
            DataType t = types.get(projection[i]);
            cols[i] = Vectors.allocate(t, table.schema().getFields().get(projection[i]).getName(), allocator, BATCH_ROWS);
          }
          while (n < BATCH_ROWS && r.hasNext()) {
            CSVRecord rec = r.next();
            if (rec.size() != width) {
              throw KilnException.execution("CSV file " + table.file() + " line " + r.line() + " has " + rec.size()
                  + " fields, the header has " + width);
            }
            for (int i = 0; i < cols.length; i++) {
              setField(cols[i], types.get(projection[i]), n, rec.get(projection[i]), r.line(), projection[i]);
            }
            n++;
          }
        } catch (RuntimeException e) {
          for (ValueVector v : cols) {
            if (v != null) {
              v.close();
            }
          }
          throw e;
        }
        if (n == 0) {
          for (ValueVector v : cols) {
            v.close();
          }
          return;
        }
        out.accept(new Batch(cols, n));
        if (n < BATCH_ROWS) {
          return;
        }
      }
    } finally {
      readTotals.addBytes(r.bytesRead());
    }
  }

  private void setField(ValueVector v, DataType type, int row, String text, long line, int column) {
    if (text.isEmpty()) {
      Vectors.setNull(v, row);
      return;
    }
    if (type.id() == DataType.Id.VARCHAR) {
      ((VarCharVector) v).setSafe(row, text.getBytes(StandardCharsets.UTF_8));
      return;
    }
    Object value;
    try {
      value = CsvValues.parse(text, type);
    } catch (RuntimeException e) {
      throw KilnException.execution("CSV file " + table.file() + " line " + line + ", column "
          + table.schema().getFields().get(column).getName() + ": '" + text + "' is not a valid " + type
          + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""));
    }
    switch (type.kind()) {
      case LONG:
        ((BigIntVector) v).setSafe(row, (Long) value);
        break;
      case DOUBLE:
        ((Float8Vector) v).setSafe(row, (Double) value);
        break;
      default:
        ((BitVector) v).setSafe(row, ((Boolean) value) ? 1 : 0);
    }
  }
}
