package io.kiln.datasource.csv;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.catalog.TableStatistics;
import io.kiln.types.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file laid out as its {@link CsvOptions} say (by default RFC 4180 with a header row). Column
 * types are either given or inferred from the first {@value #SAMPLE_ROWS} data rows; an empty
 * field is NULL. One scan task reads the file.
 */
public final class CsvTable implements TableProvider {
  static final int SAMPLE_ROWS = 1000;

  private final Path file;
  private final CsvOptions options;
  private final Schema schema;
  private final List<DataType> types;

  /** Infers the schema from the header and the first rows. */
  public CsvTable(Path file) {
    this(file, CsvOptions.DEFAULT);
  }

  /** Infers the schema from the first rows (and the header, if the options say there is one). */
  public CsvTable(Path file, CsvOptions options) {
    this.file = file;
    this.options = options;
    try (Reader r = open(file, options)) {
      List<String> names = r.header();
      List<List<DataType>> possible = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        possible.add(new ArrayList<>(CsvValues.CANDIDATES));
      }
      for (int n = 0; n < SAMPLE_ROWS && r.hasNext(); n++) {
        CSVRecord rec = r.next();
        for (int c = 0; c < Math.min(rec.size(), names.size()); c++) {
          String v = rec.get(c);
          if (!v.isEmpty()) {
            possible.get(c).removeIf(t -> !CsvValues.parses(v, t));
          }
        }
      }
      List<Field> fields = new ArrayList<>();
      List<DataType> ts = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        DataType t = possible.get(c).isEmpty() || possible.get(c).size() == CsvValues.CANDIDATES.size()
            ? DataType.VARCHAR // no value ruled anything out: the column is all empty
            : possible.get(c).get(0);
        ts.add(t);
        fields.add(new Field(names.get(c), t.toFieldType(true), null));
      }
      this.schema = new Schema(fields);
      this.types = List.copyOf(ts);
    }
  }

  /** Reads with the given schema; the header must have as many columns. */
  public CsvTable(Path file, Schema schema) {
    this.file = file;
    this.options = CsvOptions.DEFAULT;
    this.schema = schema;
    List<DataType> ts = new ArrayList<>();
    for (Field f : schema.getFields()) {
      ts.add(DataType.fromArrow(f.getType(), f.getName()));
    }
    this.types = List.copyOf(ts);
    try (Reader r = open(file, options)) {
      if (r.header().size() != schema.getFields().size()) {
        throw KilnException.execution("CSV file " + file + " has " + r.header().size() + " columns in its header "
            + r.header() + " but the given schema has " + schema.getFields().size());
      }
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public TableStatistics statistics() {
    return TableStatistics.UNKNOWN;
  }

  /** One descriptor for the whole file: its rows are not counted before it is read. */
  @Override
  public List<ScanTaskDescriptor> splitScan(ScanRequest request) {
    return List.of(new ScanTaskDescriptor(file.toString(), 0, 0, ScanTaskDescriptor.ALL_ROWS, -1));
  }

  @Override
  public List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors) {
    List<ScanTask> tasks = new ArrayList<>();
    for (ScanTaskDescriptor d : descriptors) {
      if (!d.location().equals(file.toString()) || d.rowGroup() != 0 || d.firstRow() != 0 || !d.toTheEnd()) {
        throw KilnException.execution("CSV table " + file + " is read as one task (" + file + "#0, all rows), "
            + "not as scan task " + d);
      }
      tasks.add(new CsvScanTask(this, request.projection(), request.readTotals()));
    }
    return tasks;
  }

  @Override
  public String describe() {
    return "csv " + file;
  }

  public Path file() {
    return file;
  }

  public CsvOptions options() {
    return options;
  }

  List<DataType> types() {
    return types;
  }

  /** Opens the file past its header, tracking the line each record starts on for messages. */
  static Reader open(Path file, CsvOptions options) {
    try {
      CountingInputStream bytes = new CountingInputStream(Files.newInputStream(file));
      BufferedReader in = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8));
      in.mark(1);
      if (in.read() != '\uFEFF') { // skip a UTF-8 byte order mark
        in.reset();
      }
      return new Reader(file, new CSVParser(in, options.format()), bytes, options.header());
    } catch (NoSuchFileException e) {
      throw KilnException.io("CSV file " + file + " does not exist", e);
    } catch (IOException e) {
      throw KilnException.io("cannot open CSV file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A CSV parser positioned after the header, with the starting line of the last record read. */
  static final class Reader implements AutoCloseable {
    private final Path file;
    private final CSVParser parser;
    private final CountingInputStream bytes;
    private final Iterator<CSVRecord> it;
    private final List<String> header;
    private long line;

    /** The first record waiting to be read again when the file has no header row. */
    private CSVRecord pushedBack;

    Reader(Path file, CSVParser parser, CountingInputStream bytes, boolean hasHeader) {
      this.file = file;
      this.parser = parser;
      this.bytes = bytes;
      this.it = parser.iterator();
      if (!hasNext()) {
        close();
        throw KilnException.io("CSV file " + file + " is empty: it needs " + (hasHeader ? "a header row" : "a row"),
            null);
      }
      CSVRecord h = next();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        String n = h.get(i).trim();
        // Without a header DuckDB names the columns column0, column1, ...; so does Kiln.
        names.add(!hasHeader ? "column" + i : n.isEmpty() ? "column" + (i + 1) : n);
      }
      this.header = List.copyOf(names);
      if (!hasHeader) {
        pushedBack = h;
      }
    }

    List<String> header() {
      return header;
    }

    boolean hasNext() {
      if (pushedBack != null) {
        line = 1;
        return true;
      }
      long before = parser.getCurrentLineNumber();
      try {
        boolean has = it.hasNext();
        line = before + 1;
        return has;
      } catch (UncheckedIOException | IllegalStateException e) {
        throw KilnException.io("malformed CSV file " + file + " at line " + (before + 1) + ": " + e.getMessage(), e);
      }
    }

    CSVRecord next() {
      if (pushedBack != null) {
        CSVRecord r = pushedBack;
        pushedBack = null;
        return r;
      }
      return it.next();
    }

    /** Bytes read from the file so far (read ahead of the parser, in buffers). */
    long bytesRead() {
      return bytes.count();
    }

    /** The line the last record read starts on (1-based; the header is line 1). */
    long line() {
      return line;
    }

    @Override
    public void close() {
      try {
        parser.close();
      } catch (IOException e) {
        throw KilnException.io("cannot close CSV file " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
