package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.catalog.TableStatistics;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.datasource.objectstore.ObjectStore;
import io.kiln.datasource.objectstore.StoredFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * A Parquet file, or a directory of {@code *.parquet} files read as one table. Footers are read
 * once, up front; a scan is one task per row group, or per slice of a large one, skipping row
 * groups whose statistics rule out the filters. No Hadoop FileSystem is involved: files are listed and opened by an
 * {@link ObjectStore} (local disk or S3).
 */
public final class ParquetTable implements TableProvider {
  private final String path;
  private final ObjectStore store;
  private final RowGroupSlicer slicer;
  private final List<StoredFile> files;
  /** Each file's index in {@link #files}, by location: scan task descriptors name files by location. */
  private final Map<String, Integer> fileIndexes = new HashMap<>();
  private final List<ParquetMetadata> footers;
  /** Per file: its own leaf descriptors (definition levels may differ between files). */
  private final List<List<ParquetColumn>> fileColumns;
  private final List<ParquetColumn> columns;
  private final Schema schema;
  private final long rowCount;
  private final int rowGroupCount;
  private final TableStatistics statistics;
  /** What the most recently planned scan read and skipped, filled in as its tasks run. */
  private volatile ScanMetrics lastScan;
  /** All scans of this table so far. */
  private final ScanMetrics totals = new ScanMetrics();

  public ParquetTable(Path path) {
    this(path.toString(), LocalFileStore.INSTANCE);
  }

  /** A file, or a folder (prefix) of {@code *.parquet} files, at {@code location} in {@code store}. */
  public ParquetTable(String location, ObjectStore store) {
    this(location, store, RowGroupSlicer.DEFAULT);
  }

  /** With other slices than the default (tests: many slices out of small files). */
  ParquetTable(String location, ObjectStore store, RowGroupSlicer slicer) {
    this.slicer = slicer;
    this.path = location;
    this.store = store;
    this.files = store.listParquetFiles(location);
    List<ParquetMetadata> fs = new ArrayList<>();
    List<List<ParquetColumn>> perFile = new ArrayList<>();
    List<ParquetColumn> cols = null;
    boolean[] nullable = null;
    StoredFile first = null;
    long rows = 0;
    int groups = 0;
    for (StoredFile f : files) {
      ParquetMetadata footer = readFooter(f);
      List<ParquetColumn> c = ParquetSchemaMapper.map(footer.getFileMetaData().getSchema(), f.location());
      if (cols == null) {
        cols = c;
        first = f;
        nullable = new boolean[c.size()];
      } else if (!sameColumns(cols, c)) {
        throw KilnException.unsupported("parquet files in " + path + " have different schemas: " + first + " has "
            + fieldsOf(cols) + " but " + f + " has " + fieldsOf(c));
      }
      for (int i = 0; i < c.size(); i++) {
        nullable[i] |= c.get(i).field.isNullable();
      }
      perFile.add(c);
      fs.add(footer);
      for (BlockMetaData b : footer.getBlocks()) {
        rows += b.getRowCount();
        groups++;
      }
    }
    this.footers = Collections.unmodifiableList(fs);
    for (int f = 0; f < files.size(); f++) {
      fileIndexes.put(files.get(f).location(), f);
    }
    this.fileColumns = List.copyOf(perFile);
    this.columns = cols;
    // A column is nullable in the table if it is in any file (REQUIRED in one, OPTIONAL in another).
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Field fd = cols.get(i).field;
      fields.add(new Field(fd.getName(), new FieldType(nullable[i], fd.getType(), null), null));
    }
    this.schema = new Schema(fields);
    this.rowCount = rows;
    this.rowGroupCount = groups;
    this.statistics = new TableStatistics(java.util.OptionalLong.of(rows), DistinctEstimates.of(fs, cols, rows));
  }

  static ParquetReadOptions readOptions() {
    // Vectored reads let an S3 stream fetch all of a row group's column chunks in parallel.
    return ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(PageDecompressors.INSTANCE)
        .withUseHadoopVectoredIo(true).build();
  }

  private ParquetMetadata readFooter(StoredFile file) {
    try (ParquetFileReader r = ParquetFileReader.open(store.open(file), readOptions())) {
      return r.getFooter();
    } catch (KilnException e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // StackOverflowError: a corrupt footer can send the Thrift decoder into unbounded recursion.
      throw KilnException.io("cannot read parquet file " + file + " (not a parquet file, or truncated/corrupt): "
          + e.getMessage(), e);
    }
  }

  /** Same names and types in the same order; nullability may differ. */
  private static boolean sameColumns(List<ParquetColumn> a, List<ParquetColumn> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name.equals(b.get(i).name) || !a.get(i).field.getType().equals(b.get(i).field.getType())) {
        return false;
      }
    }
    return true;
  }

  private static List<Field> fieldsOf(List<ParquetColumn> cols) {
    List<Field> out = new ArrayList<>(cols.size());
    for (ParquetColumn c : cols) {
      out.add(c.field);
    }
    return out;
  }

  /** The file, folder or S3 URI this table was opened from. */
  /** Where its files are read from. */
  public ObjectStore store() {
    return store;
  }

  public String location() {
    return path;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public TableStatistics statistics() {
    return statistics;
  }

  /**
   * Split and open with one set of metrics, so the row groups the split skips by statistics count
   * in this scan's metrics as they did before scans were split into descriptors.
   */
  @Override
  public List<ScanTask> planScan(ScanRequest request) {
    ScanMetrics metrics = new ScanMetrics(totals, request.readTotals());
    lastScan = metrics;
    return open(request, split(request, metrics), metrics);
  }

  @Override
  public List<ScanTaskDescriptor> splitScan(ScanRequest request) {
    return split(request, new ScanMetrics(totals, null));
  }

  @Override
  public List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors) {
    ScanMetrics metrics = new ScanMetrics(totals, request.readTotals());
    lastScan = metrics;
    return open(request, descriptors, metrics);
  }

  /** One descriptor per row group, or per slice of a large one, skipping row groups the statistics rule out. */
  private List<ScanTaskDescriptor> split(ScanRequest request, ScanMetrics metrics) {
    int[] projection = checkedProjection(request);
    List<ScanTaskDescriptor> out = new ArrayList<>();
    // With a limit (the engine sends one only when no filter follows), row groups past it are not read.
    long wanted = request.limit().orElse(Long.MAX_VALUE);
    long planned = 0;
    for (int f = 0; f < files.size() && planned < wanted; f++) {
      List<BlockMetaData> blocks = footers.get(f).getBlocks();
      List<ParquetColumn> cols = fileColumns.get(f);
      List<ParquetColumn> projected = distinctColumns(cols, projection);
      for (int g = 0; g < blocks.size() && planned < wanted; g++) {
        BlockMetaData b = blocks.get(g);
        if (b.getRowCount() == 0) {
          continue;
        }
        if (!RowGroupPruner.mightMatch(b, cols, request.filters())) {
          metrics.rowGroupSkippedByStatistics();
          continue;
        }
        for (RowSlice slice : slicer.slices(b, projected, store.minMorselBytes(), request.workers())) {
          if (planned >= wanted) {
            break;
          }
          out.add(new ScanTaskDescriptor(files.get(f).location(), g, slice.start(), slice.rows(), slice.rows()));
          planned += slice.rows();
        }
      }
    }
    return out;
  }

  /**
   * Tasks for the descriptors; those of one row group share its {@link SharedRowGroup} (one
   * dictionary and page-index verdict, counted once) and those of one file its page indexes.
   */
  private List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors, ScanMetrics metrics) {
    int[] projection = checkedProjection(request);
    boolean[] dictionaryIds = new boolean[projection.length];
    for (int i = 0; i < projection.length; i++) {
      dictionaryIds[i] = request.wantsDictionaryIds(i);
    }
    // Morsels that decode nothing (count(*)) read nothing either: nothing to read ahead.
    MorselReadAhead readAhead = projection.length == 0 ? null
        : store.readAhead().map(MorselReadAhead::new).orElse(null);
    // Per scan, so the indexes' bytes live as long as the query that read them.
    Map<Integer, PageIndexRegion> indexRegions = new HashMap<>();
    Map<List<Integer>, SharedRowGroup> groups = new HashMap<>();
    List<ScanTask> tasks = new ArrayList<>();
    for (ScanTaskDescriptor d : descriptors) {
      int f = fileIndex(d);
      RowSlice slice = slice(d, f);
      SharedRowGroup group = groups.computeIfAbsent(List.of(f, d.rowGroup()), k -> new SharedRowGroup(files.get(f),
          store.open(files.get(f)), footers.get(f), d.rowGroup(), fileColumns.get(f), request.filters(), metrics,
          indexRegions.computeIfAbsent(f, i -> PageIndexRegion.of(footers.get(i)))));
      RowGroupScanTask task = new RowGroupScanTask(group, slice, projection, dictionaryIds);
      if (readAhead != null) {
        task.readAheadIn(readAhead);
      }
      tasks.add(task);
    }
    return tasks;
  }

  private int[] checkedProjection(ScanRequest request) {
    int[] projection = request.projection();
    for (int p : projection) {
      if (p < 0 || p >= columns.size()) {
        throw KilnException.execution("parquet " + path + ": no column #" + p + " (table has " + columns.size() + ")");
      }
    }
    return projection;
  }

  /** The index of the descriptor's file among the table's. */
  private int fileIndex(ScanTaskDescriptor d) {
    Integer f = fileIndexes.get(d.location());
    if (f == null) {
      throw KilnException.execution("parquet table " + path + " has no file " + d.location() + " (scan task " + d
          + "); its files: " + (files.size() <= 5 ? files.toString() : files.subList(0, 5) + " and "
          + (files.size() - 5) + " more"));
    }
    return f;
  }

  /** The descriptor's rows as a slice of its row group, checked against the file's footer. */
  private RowSlice slice(ScanTaskDescriptor d, int f) {
    List<BlockMetaData> blocks = footers.get(f).getBlocks();
    if (d.rowGroup() >= blocks.size()) {
      throw KilnException.execution("parquet table " + path + ": file " + d.location() + " has " + blocks.size()
          + " row groups, no row group " + d.rowGroup() + " (scan task " + d + ")");
    }
    long groupRows = blocks.get(d.rowGroup()).getRowCount();
    long end = d.toTheEnd() ? groupRows : d.firstRow() + d.rowCount();
    if (end > groupRows || d.firstRow() >= end) {
      throw KilnException.execution("parquet table " + path + ": row group " + d.rowGroup() + " of file "
          + d.location() + " has " + groupRows + " rows, not rows " + d.firstRow() + ".." + end + " (scan task " + d
          + ")");
    }
    return new RowSlice(d.firstRow(), end);
  }

  private static List<ParquetColumn> distinctColumns(List<ParquetColumn> cols, int[] projection) {
    List<ParquetColumn> out = new ArrayList<>();
    for (int p : projection) {
      if (!out.contains(cols.get(p))) {
        out.add(cols.get(p));
      }
    }
    return out;
  }

  @Override
  public String describe() {
    return "parquet " + path + " (" + files.size() + " files, " + rowGroupCount + " row groups)";
  }

  /** Metrics of the most recently planned scan of this table (empty before any scan). */
  public ScanMetrics lastScanMetrics() {
    ScanMetrics m = lastScan;
    return m != null ? m : new ScanMetrics();
  }

  @Override
  public java.util.Map<String, Long> scanCounters() {
    return totals.counters();
  }

  /** The local path or {@code s3://} URI the table was registered with. */
  public String path() {
    return path;
  }

  public List<StoredFile> files() {
    return files;
  }

  public int rowGroupCount() {
    return rowGroupCount;
  }

  public long rowCount() {
    return rowCount;
  }
}
