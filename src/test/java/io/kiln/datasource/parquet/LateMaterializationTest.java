package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late materialization: the scan decodes its predicate columns, selects the rows the pushed-down
 * predicates accept, then decodes the other columns for those rows only. Every encoding the page
 * reader supports (files written by parquet-hadoop as v1 and v2 pages, with and without
 * dictionaries, DELTA and BYTE_STREAM_SPLIT), NULLs in predicate and other columns, selections of
 * none, all, scattered and runs of rows (runs of 450 rows against pages of at most 700 rows, so
 * runs and gaps cross page edges), three row groups, sliced and whole, both execution modes, and
 * LIMIT. Every answer must equal DuckDB's over the same file, and the scan metrics must show the
 * path each selection took. Kiln closes with an allocator that fails on leaks.
 */
class LateMaterializationTest {
  private static final int ROWS = 30_000;
  private static final String[] MODES = {"AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "REG AIR"};
  static final RowGroupSlicer SMALL_SLICES = new RowGroupSlicer(3_000);
  static final RowGroupSlicer NO_SLICES = new RowGroupSlicer(Long.MAX_VALUE);

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("band")
      .optional(PrimitiveTypeName.INT32).named("k")
      .optional(PrimitiveTypeName.BOOLEAN).named("flag")
      .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 12)).named("price")
      .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(9).as(LogicalTypeAnnotation.decimalType(2, 20))
      .named("big")
      .optional(PrimitiveTypeName.DOUBLE).named("dbl")
      .optional(PrimitiveTypeName.FLOAT).named("real")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
      .optional(PrimitiveTypeName.INT64)
      .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named("ts")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
      .named("late");

  /** A file per way of writing pages; names say how. */
  private record Layout(String name, WriterVersion version, boolean dictionary, boolean byteStreamSplit,
      CompressionCodecName codec) {}

  private static final List<Layout> LAYOUTS = List.of(
      new Layout("v1-plain", WriterVersion.PARQUET_1_0, false, false, CompressionCodecName.UNCOMPRESSED),
      new Layout("v1-dict", WriterVersion.PARQUET_1_0, true, false, CompressionCodecName.SNAPPY),
      new Layout("v2-dict", WriterVersion.PARQUET_2_0, true, false, CompressionCodecName.SNAPPY),
      new Layout("v2-delta-bss", WriterVersion.PARQUET_2_0, false, true, CompressionCodecName.UNCOMPRESSED));

  /** Selections of every shape; comments say which. */
  static final List<String> WHERE = List.of(
      "band = 1", // runs of 450 rows; gaps of 1,350 hold whole pages of other columns
      "band IN (0, 3) AND k < 50000", // runs, thinned inside
      "k < 2500", // about 2.5%, scattered: many runs of one row
      "k < 9000", // about 9%: selective path with many short runs
      "k < 60000", // about 60%, scattered: the other columns decoded straight, then compacted
      "k = 1001", // inside min/max, no row (k is even): other columns skipped whole
      "id >= 0", // every row
      "k IS NULL", // NULLs of a predicate column
      "band IS NULL", // NULLs of a column filtered on dictionary ids (NULL rows carry an id of their own)
      "day IS NULL AND id < 20000",
      "mode IS NOT NULL AND band = 0",
      "k IS NOT NULL AND band = 2",
      "mode = 'AIR'", // dictionary ids where every page is dictionary-encoded, values otherwise
      "mode IN ('MAIL', 'SHIP') AND day < DATE '2016-08-20'",
      "mode <> 'AIR' AND band = 3",
      "note LIKE '%7x%'",
      "note NOT LIKE 'note 1%' AND band = 0",
      "price < 500.5", // decimal bound between two stored values
      "price BETWEEN 100 AND 200.25",
      "price = 100.005", // no stored value equals it: left to the filter
      // Mixed scales: the binder casts these before the scan (its rounding is tested in DecodedRowFilterTest).
      "k > 99995.5",
      "price > 100.005 AND price < 100.1",
      "price >= 99.965 AND price <= 99.975",
      "big > -5000000",
      "dbl > 9000.5 AND dbl <= 9300",
      "real < 100.25",
      "real <= 0.1 AND band = 1", // 0.1 is exact neither as a float nor as a double: left to the filter
      "flag = true AND band = 1",
      "day BETWEEN DATE '2016-08-01' AND DATE '2016-08-03'",
      "ts < TIMESTAMP '2020-09-13 12:30:00'",
      "id BETWEEN 12000 AND 12600 AND band = 2", // page index narrows, predicates select within
      "id BETWEEN 2990 AND 3010 AND k < 80000", // across a slice edge
      "band = 1 AND k > 99000"); // a few rows in runs: mostly batches without survivors

  @TempDir static Path dir;
  private static DuckDbOracle duck;
  private static final Map<String, Path> FILES = new HashMap<>();

  @BeforeAll
  static void write() throws Exception {
    duck = new DuckDbOracle(2);
    Set<Encoding> encodings = ParquetTestFiles.noEncodings();
    for (Layout layout : LAYOUTS) {
      Path file = dir.resolve(layout.name() + ".parquet");
      writeFile(file, layout);
      ParquetTestFiles.collect(file, encodings, new HashSet<>());
      FILES.put(layout.name(), file);
    }
    assertTrue(encodings.containsAll(EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY,
        Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT, Encoding.RLE)),
        "the files cover the page reader's encodings: " + encodings);
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  static void writeFile(Path out, Layout layout) throws Exception {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    conf.set("parquet.page.size.row.check.min", "10");
    conf.set("parquet.page.size.row.check.max", "50");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(out)).withConf(conf)
        .withType(SCHEMA).withWriterVersion(layout.version()).withDictionaryEncoding(layout.dictionary())
        .withByteStreamSplitEncoding(layout.byteStreamSplit()).withCompressionCodec(layout.codec())
        .withPageSize(4096).withPageRowCountLimit(700).withDictionaryPageSize(16 * 1024)
        .withRowGroupRowCountLimit(10_000).withRowGroupSize(256L << 20).build()) {
      for (int i = 0; i < ROWS; i++) {
        Group g = f.newGroup().append("id", (long) i);
        if (i % 97 != 5) {
          g.append("band", (i / 450) % 4);
        }
        if (i % 7 != 1) {
          g.append("k", (int) ((i * 7919L) % 50_000) * 2); // even, 0..99998, scattered
        }
        if (i % 4 != 0) {
          g.append("flag", i % 3 == 0);
        }
        if (i % 6 != 1) {
          g.append("price", (i * 37L) % 100_000);
        }
        if (i % 5 != 0) {
          g.append("big", ParquetTestFiles.decimalBytes(BigInteger.valueOf(i).multiply(BigInteger.valueOf(-123_457L)),
              9));
        }
        if (i % 8 != 2) {
          g.append("dbl", i / 3.0);
        }
        if (i % 9 != 4) {
          g.append("real", (i % 1000) / 4.0f);
        }
        if (i % 10 != 6) {
          g.append("day", 17_000 + i / 200);
        }
        if (i % 12 != 7) {
          g.append("ts", 1_600_000_000_000L + i * 60_000L);
        }
        if (i % 10 != 3) {
          g.append("mode", MODES[(i * 7 + i / 3) % MODES.length]);
        }
        if (i % 11 != 1) {
          g.append("note", "note " + i + "x".repeat(i % 17));
        }
        w.write(g);
      }
    }
  }

  @Test
  void answersEqualDuckDbsForEveryLayoutSelectionModeAndSlicing() {
    for (Layout layout : LAYOUTS) {
      Path file = FILES.get(layout.name());
      duck.execute("CREATE OR REPLACE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
      Map<String, List<Object[]>> expected = new HashMap<>();
      for (String where : WHERE) {
        String sql = "SELECT * FROM t WHERE " + where;
        expected.put(sql, duck.query(sql));
      }
      for (ExecutionMode mode : Modes.all()) {
        for (RowGroupSlicer slicer : List.of(NO_SLICES, SMALL_SLICES)) {
          try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
            kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE, slicer));
            for (String where : WHERE) {
              String sql = "SELECT * FROM t WHERE " + where;
              String what = layout.name() + ", " + mode + (slicer == SMALL_SLICES ? ", sliced" : "") + ": " + sql;
              Result r = kiln.execute(sql);
              assertEquals(expected.get(sql).size(), r.rowCount(), what);
              ResultAssert.assertSameRows(what, r, expected.get(sql), false);
            }
          }
        }
      }
    }
  }

  @Test
  void aggregatesOverFewColumnsEqualDuckDbs() {
    // Narrow projections: the predicate column is one of two or three decoded, as in real scans.
    List<String> queries = List.of(
        "SELECT count(*), sum(price), min(note), max(note) FROM t WHERE band = 1",
        "SELECT count(*), sum(price), count(note) FROM t WHERE k < 9000",
        "SELECT count(*), sum(price), max(day), count(ts) FROM t WHERE k = 1001",
        "SELECT count(*), sum(CAST(k AS BIGINT)), count(real), sum(dbl) FROM t WHERE day < DATE '2016-07-25'",
        "SELECT mode, count(*), sum(price) FROM t WHERE note LIKE '%3xx%' GROUP BY mode");
    for (Layout layout : LAYOUTS) {
      Path file = FILES.get(layout.name());
      duck.execute("CREATE OR REPLACE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
      for (ExecutionMode mode : Modes.all()) {
        try (Kiln kiln = Modes.builder(mode).threads(1).build()) {
          kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE, NO_SLICES));
          for (String sql : queries) {
            ResultAssert.assertSameRows(layout.name() + ", " + mode + ": " + sql, kiln.execute(sql), duck.query(sql),
                false);
          }
        }
      }
    }
  }

  @Test
  void duckDbWrittenFilesAnswerAsDuckDb() {
    // DuckDB's own writer: dictionaries for most columns, v2 pages with DELTA encodings, many row groups.
    List<String> where = List.of("small = 7", "small BETWEEN 10 AND 12 AND int32 < 0", "lowcard = 'v7-é✓'",
        "lowcard IN ('', 'v3-é✓') AND flag = true", "dec9 < 100.5", "dec18 > 100000", "day = DATE '1970-01-03'",
        "int64 = 5", "highcard LIKE '%99x%'", "leadingnulls IS NULL AND id > 500", "ts < TIMESTAMP '1965-03-05 00:00:00'",
        "dbl > 1000.5 AND small < 3");
    for (String version : List.of("V1", "V2")) {
      Path file = dir.resolve("duckdb-" + version + ".parquet");
      ParquetTestFiles.duckDb(duck, file, 20_000, "SNAPPY", version, 3_000);
      duck.execute("CREATE OR REPLACE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
      for (ExecutionMode mode : Modes.all()) {
        try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
          kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SMALL_SLICES));
          for (String w : where) {
            String sql = "SELECT * FROM t WHERE " + w;
            List<Object[]> expected = duck.query(sql);
            Result r = kiln.execute(sql);
            assertEquals(expected.size(), r.rowCount(), version + ", " + mode + ": " + sql);
            ResultAssert.assertSameRows(version + ", " + mode + ": " + sql, r, expected, false);
          }
        }
      }
    }
  }

  @Test
  void limitStopsWithRowsThatSatisfyThePredicates() {
    Path file = FILES.get("v1-dict");
    duck.execute("CREATE OR REPLACE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
    Set<Long> matching = new HashSet<>();
    for (Object[] row : duck.query("SELECT id FROM t WHERE band = 1 AND k < 40000")) {
      matching.add(((Number) row[0]).longValue());
    }
    for (ExecutionMode mode : Modes.all()) {
      try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
        kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SMALL_SLICES));
        for (int limit : new int[] {1, 37, 500}) {
          Result r = kiln.execute("SELECT id, note, price FROM t WHERE band = 1 AND k < 40000 LIMIT " + limit);
          assertEquals(limit, r.rowCount(), mode + " LIMIT " + limit);
          for (Object[] row : r.rows()) {
            assertTrue(matching.contains(((Number) row[0]).longValue()), mode + ": row " + row[0] + " fails the filter");
          }
        }
      }
    }
  }

  @Test
  void metricsShowWhatWasDecodedLateAndWhatWasSkipped() {
    Path file = FILES.get("v1-plain");
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, NO_SLICES);
      kiln.registerTable("t", t);

      kiln.execute("SELECT count(*), sum(price), max(note) FROM t WHERE k = 1001");
      ScanMetrics none = t.lastScanMetrics();
      assertEquals(ROWS, none.rowsFilteredOnValues(), none.toString());
      assertEquals(0, none.rowsDecodedLate(), none.toString());
      assertEquals(ROWS, none.rowsSkippedLate(), "no survivor: price and note never decoded: " + none);
      assertTrue(none.pagesNotDecoded() > 0, none.toString());

      kiln.execute("SELECT count(*), sum(price), max(note) FROM t WHERE band = 1");
      ScanMetrics runs = t.lastScanMetrics();
      long band1 = kiln.execute("SELECT count(*) FROM t WHERE band = 1").rows().get(0)[0] instanceof Number n
          ? n.longValue() : -1;
      assertEquals(band1, runs.rowsDecodedLate(), runs.toString());
      // The column index already leaves out some pages of band 0, 2 and 3; the rest is filtered in the scan.
      assertTrue(runs.pagesSkipped() > 0 && runs.rowsFilteredOnValues() > 0, runs.toString());
      assertEquals(runs.rowsFilteredOnValues(), runs.rowsSkippedLate(), runs.toString());
      assertTrue(runs.pagesNotDecoded() > 0, "pages inside the gaps between runs stay undecoded: " + runs);

      kiln.execute("SELECT count(*), sum(price), max(note) FROM t WHERE k < 60000");
      ScanMetrics dense = t.lastScanMetrics();
      assertTrue(dense.rowsFilteredOnValues() > 0, dense.toString());
      assertEquals(0, dense.rowsDecodedLate(), "most rows survive: decoded straight: " + dense);
      assertEquals(0, dense.pagesNotDecoded(), dense.toString());

      kiln.execute("SELECT count(*), sum(price), max(note) FROM t WHERE price = 100.005");
      ScanMetrics inexact = t.lastScanMetrics();
      assertEquals(0, inexact.rowsFilteredOnValues(), "no exact decision in the scan: " + inexact);

      // A chunk of dictionary pages only is filtered on its ids, its values materialized for survivors alone.
      ParquetTable dict = new ParquetTable(FILES.get("v1-dict").toString(), LocalFileStore.INSTANCE, NO_SLICES);
      kiln.registerTable("d", dict);
      kiln.execute("SELECT count(*), sum(price), max(note) FROM d WHERE band = 1");
      ScanMetrics ids = dict.lastScanMetrics();
      assertTrue(ids.rowsFilteredOnDictionary() > 0, ids.toString());
      assertEquals(0, ids.rowsFilteredOnValues(), ids.toString());
      assertEquals(band1, ids.rowsDecodedLate(), ids.toString());

      List<String> explained = new ArrayList<>();
      kiln.execute("EXPLAIN ANALYZE SELECT sum(price) FROM t WHERE band = 1").rows()
          .forEach(r -> explained.add((String) r[0]));
      String scan = explained.stream().filter(l -> l.startsWith("Scan t: ")).findFirst().orElseThrow();
      assertTrue(scan.contains("rows decoded late " + band1) && scan.contains("pages not decoded "), scan);
    }
  }
}
