package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row groups cut into slices, each its own morsel: a parquet-hadoop file of two row groups with
 * small pages (pages of different columns start at different rows, so slice edges cut pages) is
 * scanned as more morsels than row groups, answers equal DuckDB's for plain scans, page skipping,
 * dictionary filters and LIMIT with 2 and 3 threads (one worker does not slice) in both execution modes, and the scan metrics
 * equal those of the same scan unsliced (a row group or a page counts once however many slices
 * read it). Slices are made small (8,572 rows, so their edges cut pages) so a small file has many.
 */
class SlicedRowGroupsTest {
  private static final int ROWS = 120_000;
  private static final int ROW_GROUP_ROWS = 60_000;
  static final RowGroupSlicer SMALL_SLICES = new RowGroupSlicer(8_000);
  /** Small slices even when one worker scans: read-ahead tests run on one thread to be deterministic. */
  static final RowGroupSlicer SMALL_SLICES_FOR_ONE_WORKER = new RowGroupSlicer(8_000, 1);
  static final RowGroupSlicer NO_SLICES = new RowGroupSlicer(Long.MAX_VALUE);
  private static final String[] MODES = {"AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "REG AIR"};

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("k")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
      .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.decimalType(2, 9)).named("price")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("name")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
      .required(PrimitiveTypeName.DOUBLE).named("amount")
      .named("sliced");

  @TempDir static Path dir;
  private static Path file;
  private static DuckDbOracle duck;

  @BeforeAll
  static void write() throws Exception {
    file = dir.resolve("two-big-row-groups.parquet");
    writeFile(file, ROWS, ROW_GROUP_ROWS, WriterVersion.PARQUET_1_0);
    duck = new DuckDbOracle(2);
    duck.registerParquet("t", file);
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  /** Sorted on id, k, day and price; small pages of different row counts per column; dictionary overflow in note. */
  static void writeFile(Path out, int rows, int rowGroupRows, WriterVersion version) throws Exception {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    conf.set("parquet.page.size.row.check.min", "10");
    conf.set("parquet.page.size.row.check.max", "50");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(out)).withConf(conf)
        .withType(SCHEMA).withWriterVersion(version).withCompressionCodec(CompressionCodecName.SNAPPY)
        .withPageSize(2048).withPageRowCountLimit(900).withDictionaryPageSize(8192)
        .withRowGroupRowCountLimit(rowGroupRows).withRowGroupSize(256L << 20).build()) {
      for (int i = 0; i < rows; i++) {
        Group g = f.newGroup().append("id", (long) i);
        if (i % 53 != 0) {
          g.append("k", i / 2);
        }
        if (i % 50 != 7) {
          g.append("day", 10_000 + i / 1000);
        }
        g.append("price", i * 3);
        g.append("mode", MODES[(i * 7 + i / 3) % MODES.length]);
        if (i % 13 != 0) {
          g.append("name", String.format("n%06d", i));
        }
        g.append("note", "note " + i + "x".repeat(i % 30));
        g.append("amount", i * 0.25);
        w.write(g);
      }
    }
  }

  static List<Object[]> modesAndThreads() {
    List<Object[]> out = new ArrayList<>();
    for (ExecutionMode mode : Modes.all()) {
      for (int threads = 2; threads <= 3; threads++) {
        out.add(new Object[] {mode, threads});
      }
    }
    return out;
  }

  /** Reads every row: each slice must emit exactly its own rows. */
  static final List<String> PLAIN = List.of(
      "SELECT count(*), sum(id), sum(k), count(k), min(day), max(day), sum(price), min(name), max(name), "
          + "min(note), max(note), sum(amount) FROM t",
      "SELECT mode, count(*), sum(price), min(id), max(id), count(name) FROM t GROUP BY mode",
      "SELECT id, k, day, name, note FROM t WHERE id % 997 = 3");

  /** The page indexes narrow these down; ranges straddle slice edges (8,572 rows apart) and the row group edge. */
  static final List<String> SELECTIVE = List.of(
      "SELECT * FROM t WHERE id BETWEEN 8500 AND 8650",
      "SELECT * FROM t WHERE id BETWEEN 59900 AND 60100",
      "SELECT id, note, mode FROM t WHERE id >= 118990",
      "SELECT id, name, note FROM t WHERE k BETWEEN 17100 AND 17200",
      "SELECT count(*), sum(amount), min(note) FROM t WHERE day = DATE '1997-06-30'",
      "SELECT * FROM t WHERE name = 'n082500'");

  /** EQ/IN on the all-dictionary mode column: rows dropped on dictionary ids in every slice. */
  static final List<String> DICTIONARY = List.of(
      "SELECT id, mode, note FROM t WHERE mode = 'SHIP' AND id % 10 = 1",
      "SELECT count(*), sum(price), min(id), max(id) FROM t WHERE mode IN ('AIR', 'FOB')",
      "SELECT id, mode FROM t WHERE mode = 'RAIL' AND id BETWEEN 14000 AND 16000");

  @ParameterizedTest(name = "{0}, {1} threads")
  @MethodSource("modesAndThreads")
  void answersEqualDuckDbsWhenSliced(ExecutionMode mode, int threads) {
    try (Kiln kiln = Modes.builder(mode).threads(threads).build()) {
      ParquetTable t = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SMALL_SLICES);
      kiln.registerTable("t", t);
      for (String sql : PLAIN) {
        assertLikeDuckDb(kiln, sql);
        ScanMetrics m = t.lastScanMetrics();
        assertEquals(2, m.rowGroupsRead(), sql + ": " + m);
        assertEquals(14, m.morselsRead(), sql + ": 7 slices per row group: " + m);
      }
      for (String sql : SELECTIVE) {
        assertLikeDuckDb(kiln, sql);
        ScanMetrics m = t.lastScanMetrics();
        assertTrue(m.pagesSkipped() > 0, sql + ": " + m);
      }
      for (String sql : DICTIONARY) {
        assertLikeDuckDb(kiln, sql);
        ScanMetrics m = t.lastScanMetrics();
        assertTrue(m.rowsFilteredOnDictionary() > 0, sql + ": " + m);
      }
      // LIMIT: any rows will do, but exactly as many, all distinct and from the table.
      for (int limit : new int[] {5, 8_572, 20_000, 119_999}) {
        List<Object[]> rows = kiln.execute("SELECT id, note FROM t LIMIT " + limit).rows();
        assertEquals(limit, rows.size());
        assertEquals(limit, rows.stream().map(r -> r[0]).distinct().count());
        for (Object[] r : rows) {
          long id = ((Number) r[0]).longValue();
          assertEquals(note(id), r[1]);
        }
      }
      assertLikeDuckDb(kiln, "SELECT count(*), sum(id) FROM (SELECT id FROM t WHERE id >= 50000 LIMIT 100000) x");
    } // closing the session fails if any scan leaked Arrow memory
  }

  private static String note(long i) {
    return "note " + i + "x".repeat((int) (i % 30));
  }

  @Test
  void largeRowGroupsBecomeSeveralMorselsCoveringEachRowOnce() throws Exception {
    assertEquals(2, rowGroups(file));
    ParquetTable t = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SMALL_SLICES);
    List<ScanTask> tasks = t.planScan(new ScanRequest(new int[] {0, 6}, List.of(), OptionalLong.empty()).forWorkers(2));
    assertEquals(14, tasks.size(), "7 slices of at least 8,000 rows per row group of 60,000");
    // One worker gains nothing from slices and would pay for their edge pages.
    assertEquals(2, t.planScan(new ScanRequest(new int[] {0, 6}, List.of(), OptionalLong.empty())).size());
    assertEquals(ROWS, tasks.stream().mapToLong(ScanTask::estimatedRows).sum());
    List<Long> firstGroup = List.of(8_572L, 8_572L, 8_572L, 8_572L, 8_572L, 8_572L, 8_568L);
    assertEquals(firstGroup, tasks.subList(0, 7).stream().map(ScanTask::estimatedRows).toList());
    // With a limit, only the slices it needs.
    assertEquals(3, t.planScan(new ScanRequest(new int[] {0}, List.of(), OptionalLong.of(20_000)).forWorkers(2))
        .size());
    // Nothing to decode (count(*)): nothing gained by slicing.
    assertEquals(2, t.planScan(new ScanRequest(new int[0], List.of(), OptionalLong.empty()).forWorkers(2)).size());
    // The default slices are 512 Ki rows: these row groups are too small for them.
    assertEquals(2, new ParquetTable(file).planScan(new ScanRequest(new int[] {0}, List.of(), OptionalLong.empty())
        .forWorkers(2))
        .size());
  }

  @Test
  void slicesFetchAtLeastWhatTheStoreSaysAMorselShould() throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      BlockMetaData block = r.getFooter().getBlocks().get(0);
      List<ParquetColumn> columns = ParquetSchemaMapper.map(r.getFooter().getFileMetaData().getSchema(),
          file.toString());
      List<ParquetColumn> idAndNote = List.of(columns.get(0), columns.get(6));
      long bytes = block.getColumns().get(0).getTotalSize() + block.getColumns().get(6).getTotalSize();
      assertEquals(7, SMALL_SLICES.slices(block, idAndNote, 0, 2).size(), "local files: by rows only");
      assertEquals(3, SMALL_SLICES.slices(block, idAndNote, bytes / 3, 2).size());
      assertEquals(List.of(new RowSlice(0, ROW_GROUP_ROWS)), SMALL_SLICES.slices(block, idAndNote, bytes / 2 + 1, 2));
    }
  }

  /**
   * Late materialization decides per batch, and slices cut batches at other rows; a page at a
   * slice edge may be decoded by one slice and left undecoded by the other.
   */
  static final List<String> BATCH_DEPENDENT = List.of("rows decoded late", "rows skipped late", "pages not decoded");

  @Test
  void metricsEqualThoseOfTheSameScanUnsliced() {
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      ParquetTable sliced = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SMALL_SLICES);
      ParquetTable whole = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, NO_SLICES);
      kiln.registerTable("sliced", sliced);
      kiln.registerTable("whole", whole);
      List<String> all = new ArrayList<>(PLAIN);
      all.addAll(SELECTIVE);
      all.addAll(DICTIONARY);
      all.add("SELECT count(*) FROM t WHERE mode = 'BOAT'"); // in no dictionary: both row groups skipped
      all.add("SELECT * FROM t WHERE k = 30001"); // inside min/max, in no page: skipped by column index
      for (String sql : all) {
        kiln.execute(sql.replace("FROM t", "FROM sliced"));
        kiln.execute(sql.replace("FROM t", "FROM whole"));
        Map<String, Long> s = sliced.lastScanMetrics().counters();
        Map<String, Long> w = whole.lastScanMetrics().counters();
        for (String counter : w.keySet()) {
          if (!counter.equals("morsels read") && !counter.equals("pages re-read by slices")
              && !BATCH_DEPENDENT.contains(counter)) {
            assertEquals(w.get(counter), s.get(counter), sql + ": " + counter + "\nsliced " + s + "\nwhole  " + w);
          }
        }
        assertTrue(s.get("morsels read") >= w.get("morsels read"), sql + ": " + s);
        assertEquals(0, w.get("pages re-read by slices"), sql + ": " + w);
      }
      // Pages of note hold varying row counts, so slice edges cut some of them; a slice reads only the pages
      // holding its rows, so each of the 12 slice edges costs at most one page read twice.
      List<String> explained = kiln.execute("EXPLAIN ANALYZE SELECT max(note) FROM sliced").rows().stream()
          .map(r -> (String) r[0]).toList();
      String scan = explained.stream().filter(l -> l.startsWith("Scan sliced: ")).findFirst().orElseThrow();
      assertTrue(scan.contains("row groups read 2, ") && scan.contains("morsels read 14, "), scan);
      ScanMetrics m = sliced.lastScanMetrics();
      assertTrue(m.pagesReadAgain() > 0 && m.pagesReadAgain() <= 12, "at most one per column per slice edge: " + m);
      kiln.execute("SELECT count(*) FROM sliced WHERE mode = 'BOAT'");
      assertEquals(2, sliced.lastScanMetrics().rowGroupsSkippedByDictionary(), "once per row group, not per slice");
      assertEquals(0, sliced.lastScanMetrics().morselsRead());
    }
  }

  @Test
  void filesWithoutOffsetIndexesAreNotSliced() throws Exception {
    Path plain = dir.resolve("duckdb-written.parquet");
    duck.execute("COPY (SELECT * FROM t ORDER BY id) TO '" + plain + "' (FORMAT parquet, ROW_GROUP_SIZE 60000)");
    ParquetTable t = new ParquetTable(plain.toString(), LocalFileStore.INSTANCE, SMALL_SLICES);
    int groups = rowGroups(plain);
    assertEquals(groups, t.planScan(new ScanRequest(new int[] {0, 6}, List.of(), OptionalLong.empty()).forWorkers(2))
        .size(),
        "a slice would fetch and decompress its whole chunks");
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      kiln.registerTable("t", t);
      assertLikeDuckDb(kiln, PLAIN.get(0));
      assertEquals(groups, t.lastScanMetrics().morselsRead());
    }
  }

  @Test
  void rowGroupsOfAMillionRowsAreSlicedByDefault() throws Exception {
    // One row group of 1.1 million rows: more than two default slices (512 Ki rows), too few for three.
    Path big = dir.resolve("big-row-group.parquet");
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("id")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
        .named("big");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(big)).withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY).withPageSize(64 * 1024)
        .withRowGroupSize(1L << 30).build()) {
      for (int i = 0; i < 1_100_000; i++) {
        w.write(f.newGroup().append("id", (long) i).append("mode", MODES[(i * 7 + i / 3) % MODES.length]));
      }
    }
    assertEquals(1, rowGroups(big));
    ParquetTable t = new ParquetTable(big);
    List<ScanTask> tasks = t.planScan(new ScanRequest(new int[] {0, 1}, List.of(), OptionalLong.empty()).forWorkers(2));
    assertEquals(List.of(557_056L, 542_944L), tasks.stream().map(ScanTask::estimatedRows).toList(),
        "two slices, the first a whole number of 32 Ki-row batches");
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      kiln.registerTable("big", t);
      duck.registerParquet("big", big);
      assertLikeDuckDb(kiln, "SELECT mode, count(*), sum(id), min(id), max(id) FROM big GROUP BY mode");
      assertEquals(2, t.lastScanMetrics().morselsRead(), t.lastScanMetrics().toString());
      assertLikeDuckDb(kiln, "SELECT id, mode FROM big WHERE id BETWEEN 557000 AND 557100");
      assertTrue(t.lastScanMetrics().pagesSkipped() > 0, t.lastScanMetrics().toString());
    }
  }

  private static void assertLikeDuckDb(Kiln kiln, String sql) {
    ResultAssert.assertSameRows(sql, kiln.execute(sql), duck.query(sql), false);
  }

  private static int rowGroups(Path f) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f), ParquetTable.readOptions())) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      return blocks.size();
    }
  }
}
