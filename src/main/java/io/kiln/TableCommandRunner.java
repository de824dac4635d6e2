package io.kiln;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.logical.LogicalPlan;
import io.kiln.sql.TableCommands;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Carries out CREATE TABLE, INSERT, DROP TABLE and COPY for a session. Tables: runs the
 * statement's rows as a query, keeps its result batches (moved, not copied, into the session's
 * memory), and only then swaps the table, so a statement that fails changes nothing. COPY: writes
 * the rows as the query makes them to a temporary file renamed over the target at the end, so a
 * COPY that fails leaves no file.
 */
final class TableCommandRunner {
  /** Runs a query, handing each result batch to {@code consumer}, which must not keep it. */
  @FunctionalInterface
  interface QueryRunner {
    void run(LogicalPlan plan, java.util.function.Consumer<Batch> consumer);
  }

  private final SessionTables tables;

  TableCommandRunner(SessionTables tables) {
    this.tables = tables;
  }

  Result create(TableCommands.CreateTable create, QueryRunner runner) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < create.columns().size(); i++) {
      fields.add(new Field(create.columns().get(i), new FieldType(create.nullable().get(i),
          create.types().get(i).toArrow(), null), null));
    }
    Schema schema = new Schema(fields);
    List<Batch> rows = create.rows() == null ? List.of() : collect(create.rows(), runner);
    long count = rows.stream().mapToLong(Batch::rowCount).sum();
    tables.put(create.name(), io.kiln.datasource.memory.MemoryTable.adopt(schema, rows));
    return create.rows() == null ? status("created table " + create.name()) : count(count);
  }

  Result insert(TableCommands.Insert insert, QueryRunner runner) {
    List<Batch> rows = collect(insert.rows(), runner);
    try {
      checkNotNull(insert, rows);
    } catch (RuntimeException e) {
      rows.forEach(Batch::close);
      throw e;
    }
    return count(tables.append(insert.table(), rows));
  }

  Result drop(TableCommands.DropTable drop) {
    if (!tables.drop(drop.name())) {
      throw KilnException.binding("cannot drop table " + drop.name() + ": it does not exist");
    }
    return status("dropped table " + drop.name());
  }

  Result copy(TableCommands.Copy copy, QueryRunner runner) {
    java.nio.file.Path target = java.nio.file.Path.of(copy.path());
    if (!java.nio.file.Files.isDirectory(target.getParent())) { // checked at binding too; it may have gone since
      throw KilnException.io("COPY cannot write " + target + ": folder " + target.getParent() + " does not exist",
          null);
    }
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (io.kiln.logical.ColumnRef c : copy.rows().output()) {
      names.add(c.name());
      types.add(c.type().id() == DataType.Id.NULL ? DataType.INTEGER : c.type());
    }
    long[] written = {0};
    try {
      io.kiln.util.AtomicFiles.write(target, temp -> {
        if (copy.format() == TableCommands.Format.PARQUET) {
          try (io.kiln.datasource.parquet.ParquetBatchWriter w =
              new io.kiln.datasource.parquet.ParquetBatchWriter(temp, names, types)) {
            runner.run(copy.rows(), w::write);
            written[0] = w.rowsWritten();
          }
        } else {
          try (io.kiln.datasource.csv.CsvBatchWriter w = new io.kiln.datasource.csv.CsvBatchWriter(temp, names, types,
              copy.header(), copy.delimiter())) {
            runner.run(copy.rows(), w::write);
            written[0] = w.rowsWritten();
          }
        }
      });
    } catch (java.io.IOException e) {
      throw KilnException.io("COPY cannot write " + target + ": " + e.getMessage(), e);
    }
    return count(written[0]);
  }

  /** The query's result batches, moved into the session's allocator so they outlive the query. */
  private List<Batch> collect(LogicalPlan plan, QueryRunner runner) {
    List<Batch> kept = new ArrayList<>();
    BufferAllocator allocator = tables.allocator();
    try {
      runner.run(plan, b -> {
        ValueVector[] cols = new ValueVector[b.columnCount()];
        for (int c = 0; c < cols.length; c++) {
          TransferPair tp = b.column(c).getTransferPair(allocator);
          tp.transfer();
          cols[c] = tp.getTo();
        }
        kept.add(new Batch(cols, b.rowCount()));
      });
    } catch (RuntimeException e) {
      kept.forEach(Batch::close);
      throw e;
    }
    return kept;
  }

  private static void checkNotNull(TableCommands.Insert insert, List<Batch> rows) {
    List<io.kiln.logical.ColumnRef> columns = insert.rows().output();
    for (String name : insert.notNull()) {
      int c = 0;
      while (!columns.get(c).name().equals(name)) {
        c++;
      }
      for (Batch b : rows) {
        if (b.column(c).getNullCount() > 0) {
          throw KilnException.execution("INSERT INTO " + insert.table() + ": column " + name
              + " is NOT NULL but a row gives it NULL; no rows were inserted");
        }
      }
    }
  }

  static Result count(long rows) {
    return new Result(List.of("count"), List.of(DataType.BIGINT), List.<Object[]>of(new Object[] {rows}));
  }

  private static Result status(String message) {
    return new Result(List.of("status"), List.of(DataType.VARCHAR), List.<Object[]>of(new Object[] {message}));
  }
}
