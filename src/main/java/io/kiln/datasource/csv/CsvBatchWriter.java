package io.kiln.datasource.csv;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.types.Casts;
import io.kiln.types.DataType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.commons.csv.CSVFormat;

/**
 * Writes batches in the engine's encoding to a CSV file (UTF-8, '\n' line ends, fields quoted
 * only when they must be). Values are written as CAST(... AS VARCHAR) shows them; NULL is an
 * empty field and an empty string is {@code ""}, as DuckDB writes them, so the two stay apart
 * for readers that tell them apart.
 */
public final class CsvBatchWriter implements AutoCloseable {
  private final Path file;
  private final List<DataType> types;
  private final CSVFormat format;
  private final BufferedWriter out;
  private long rows;

  /** Creates (or overwrites) {@code file}, writing the header row now if {@code header}. */
  public CsvBatchWriter(Path file, List<String> names, List<DataType> types, boolean header, char delimiter) {
    this.file = file;
    this.types = List.copyOf(types);
    this.format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setRecordSeparator('\n').get();
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw KilnException.io("cannot create CSV file " + file + ": " + e.getMessage(), e);
    }
    if (header) {
      try {
        for (int c = 0; c < names.size(); c++) {
          format.print(names.get(c), out, c == 0);
        }
        out.write('\n');
      } catch (IOException e) {
        closeAfter(e);
        throw KilnException.io("cannot write CSV file " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Appends the batch's rows; the caller keeps the batch. */
  public void write(Batch batch) {
    try {
      for (int r = 0; r < batch.rowCount(); r++) {
        for (int c = 0; c < types.size(); c++) {
          field(batch.column(c), types.get(c), r, c == 0);
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw KilnException.io("cannot write CSV file " + file + ": " + e.getMessage(), e);
    }
    rows += batch.rowCount();
  }

  private void field(ValueVector v, DataType type, int row, boolean first) throws IOException {
    if (v.isNull(row)) {
      if (!first) {
        out.write(format.getDelimiterString());
      }
      return;
    }
    Object value;
    switch (type.kind()) {
      case LONG:
        value = ((BigIntVector) v).get(row);
        break;
      case DOUBLE:
        value = ((Float8Vector) v).get(row);
        break;
      case BOOLEAN:
        value = ((BitVector) v).get(row) != 0;
        break;
      default:
        value = new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
    }
    String text = (String) Casts.cast(value, type, DataType.VARCHAR);
    if (text.isEmpty()) {
      out.write(first ? "\"\"" : format.getDelimiterString() + "\"\"");
    } else {
      format.print(text, out, first);
    }
  }

  public long rowsWritten() {
    return rows;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw KilnException.io("cannot finish CSV file " + file + ": " + e.getMessage(), e);
    }
  }

  private void closeAfter(IOException failure) {
    try {
      out.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
