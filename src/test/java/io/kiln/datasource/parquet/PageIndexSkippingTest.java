package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.datasource.objectstore.S3Config;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.S3ProxyServer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Pages whose column-index statistics rule out a filter are not read, and the rows of the pages
 * that are read are aligned across columns whose pages start at different rows: answers equal
 * DuckDB's while the scan metrics show pages skipped. Files are sorted on the predicate columns
 * (so the index can prune), with small pages, NULL pages and NULLs scattered in some pages.
 */
class PageIndexSkippingTest {
  private static final int ROWS = 30_000;
  private static final String[] MODES = {"AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "REG AIR"};

  @TempDir static Path dir;
  private static Kiln kiln;
  private static DuckDbOracle duck;

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("k")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
      .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.decimalType(2, 9)).named("price")
      .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(4, 18)).named("big")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("name")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
      .optional(PrimitiveTypeName.BOOLEAN).named("flag")
      .required(PrimitiveTypeName.DOUBLE).named("amount")
      .named("sorted");

  /**
   * k: blocks of 2000 NULLs (whole NULL pages), scattered NULLs in the first half only, and a jump
   * from 27998 to 132000 inside the NULL block at rows 14000..15999.
   */
  static Integer k(int i) {
    if ((i / 2000) % 5 == 2 || (i < ROWS / 2 && i % 97 == 0)) {
      return null;
    }
    return i < 15_000 ? i * 2 : i * 2 + 100_000;
  }

  @BeforeAll
  static void open() {
    kiln = Kiln.builder().threads(2).build();
    duck = new DuckDbOracle(2);
  }

  @AfterAll
  static void close() {
    try {
      duck.close();
    } finally {
      kiln.close(); // fails if any scan leaked Arrow memory
    }
  }

  /** Sorted on id, k, day, price, big and name; small pages of different row counts per column. */
  static void write(Path file, WriterVersion version, boolean dictionary) throws Exception {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    // Check page sizes often, so pages end by size (bytes per value differ by column) and not all at once.
    conf.set("parquet.page.size.row.check.min", "10");
    conf.set("parquet.page.size.row.check.max", "50");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(conf)
        .withType(SCHEMA).withWriterVersion(version).withDictionaryEncoding(dictionary)
        .withCompressionCodec(CompressionCodecName.SNAPPY).withPageSize(1024).withPageRowCountLimit(700)
        .withDictionaryPageSize(4096).withRowGroupSize(160 * 1024L).build()) {
      for (int i = 0; i < ROWS; i++) {
        Group g = f.newGroup().append("id", (long) i);
        Integer k = k(i);
        if (k != null) {
          g.append("k", k);
        }
        if (i % 50 != 7) {
          g.append("day", 10_000 + i / 100);
        }
        g.append("price", i * 3);
        if (i % 9 != 4) {
          g.append("big", (long) i * 12_345L - 100_000_000L);
        }
        if (i % 13 != 0) {
          g.append("name", String.format("n%06d", i));
        }
        g.append("mode", MODES[(i * 7 + i / 3) % MODES.length]);
        g.append("note", "note " + i + "x".repeat(i % 40));
        if (i % 11 != 0) {
          g.append("flag", i % 3 == 0);
        }
        g.append("amount", i * 0.25);
        w.write(g);
      }
    }
  }

  static List<Object[]> variants() {
    List<Object[]> out = new ArrayList<>();
    for (WriterVersion v : WriterVersion.values()) {
      for (boolean dictionary : new boolean[] {true, false}) {
        out.add(new Object[] {v, dictionary});
      }
    }
    return out;
  }

  /** Selective predicates of every kind the scan receives; each must skip pages. */
  private static final List<String> SELECTIVE = List.of(
      "SELECT * FROM t WHERE id BETWEEN 5000 AND 5100",
      "SELECT * FROM t WHERE id = 29999",
      "SELECT id, note, mode FROM t WHERE id < 300",
      "SELECT * FROM t WHERE k = 2468",
      "SELECT * FROM t WHERE k > 159000",
      "SELECT * FROM t WHERE k <= 500 AND k IS NOT NULL",
      "SELECT * FROM t WHERE k IN (10, 20000, 150010)",
      "SELECT id, note FROM t WHERE k IS NULL",
      "SELECT count(*) FROM t WHERE k IS NOT NULL",
      "SELECT * FROM t WHERE day = DATE '1997-05-19'",
      "SELECT * FROM t WHERE day >= DATE '1997-12-01'",
      "SELECT count(*), sum(amount), min(note), max(mode) FROM t WHERE price BETWEEN 12.00 AND 40.50",
      "SELECT * FROM t WHERE big > 25000.0000",
      "SELECT * FROM t WHERE name = 'n012345'",
      "SELECT * FROM t WHERE name IN ('n000001', 'n020000', 'n029998')",
      "SELECT * FROM t WHERE name >= 'n029000' AND id > 100",
      "SELECT mode, count(*), sum(price) FROM t WHERE id >= 10000 AND id < 11000 GROUP BY mode");

  /** Predicates no page index can narrow (or that match nothing at all). */
  private static final List<String> UNSELECTIVE = List.of(
      "SELECT count(*), sum(k), min(name) FROM t WHERE id >= 0",
      "SELECT * FROM t WHERE id < 0",
      "SELECT * FROM t WHERE mode = 'SHIP' AND flag");

  @ParameterizedTest(name = "{0}, dictionary {1}")
  @MethodSource("variants")
  void skipsPagesAndAnswersLikeDuckDb(WriterVersion version, boolean dictionary) throws Exception {
    Path file = dir.resolve("sorted-" + version + "-" + dictionary + ".parquet");
    write(file, version, dictionary);
    assertTrue(rowGroups(file) >= 3, "the file should have several row groups");
    assertTrue(pageRowCountsDiffer(file), "columns should have pages of different row counts");
    ParquetTable t = new ParquetTable(file);
    kiln.registerTable("t", t);
    duck.registerParquet("t", file);
    for (String sql : SELECTIVE) {
      assertLikeDuckDb(sql);
      ScanMetrics m = t.lastScanMetrics();
      assertTrue(m.pagesSkipped() > 0, sql + ": " + m);
      assertTrue(m.rowGroupsRead() > 0, sql + ": " + m);
    }
    for (String sql : UNSELECTIVE) {
      assertLikeDuckDb(sql);
      assertEquals(0, t.lastScanMetrics().pagesSkipped(), sql + ": " + t.lastScanMetrics());
    }
    // A value inside a row group's min/max but in no page's range: the index rules out the whole group.
    assertLikeDuckDb("SELECT * FROM t WHERE k = 50001");
    ScanMetrics m = t.lastScanMetrics();
    assertEquals(0, m.rowGroupsRead(), m.toString());
    assertTrue(m.rowGroupsSkippedByColumnIndex() + m.rowGroupsSkippedByStatistics() > 0, m.toString());
    assertLikeDuckDb("SELECT * FROM t WHERE k BETWEEN 40000 AND 130000");
    assertEquals(1, t.lastScanMetrics().rowGroupsSkippedByColumnIndex(), t.lastScanMetrics().toString());
  }

  @Test
  void explainAnalyzeReportsPagesSkipped() throws Exception {
    Path file = dir.resolve("explain.parquet");
    write(file, WriterVersion.PARQUET_1_0, true);
    kiln.registerParquet("e", file);
    String scan = scanLine(kiln, "EXPLAIN ANALYZE SELECT * FROM e WHERE id BETWEEN 700 AND 800", "e");
    assertTrue(scan.matches(".*row groups read 1, .*pages read \\d+, pages skipped [1-9]\\d*, bytes read \\d+.*"), scan);
  }

  @Test
  void filesWithoutPageIndexesAreReadWhole() throws Exception {
    Path indexed = dir.resolve("for-duckdb.parquet");
    write(indexed, WriterVersion.PARQUET_1_0, true);
    Path plain = dir.resolve("duckdb-written.parquet");
    duck.execute("COPY (SELECT * FROM read_parquet('" + indexed + "') ORDER BY id) TO '" + plain
        + "' (FORMAT parquet, ROW_GROUP_SIZE 8192)");
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(plain), ParquetTable.readOptions())) {
      for (BlockMetaData b : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          assertNull(c.getColumnIndexReference(), "DuckDB wrote a column index: this test needs another writer");
        }
      }
    }
    ParquetTable t = new ParquetTable(plain);
    kiln.registerTable("t", t);
    duck.registerParquet("t", plain);
    for (String sql : SELECTIVE) {
      assertLikeDuckDb(sql);
      assertEquals(0, t.lastScanMetrics().pagesSkipped(), sql);
    }
  }

  @Test
  void corruptColumnIndexNamesFileAndColumn() throws Exception {
    Path file = dir.resolve("corrupt-index.parquet");
    write(file, WriterVersion.PARQUET_1_0, true);
    IndexReference ref;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      ref = r.getFooter().getBlocks().get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals("k")).findFirst().orElseThrow().getColumnIndexReference();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(ref.getOffset());
      byte[] junk = new byte[ref.getLength()];
      java.util.Arrays.fill(junk, (byte) 0xEE);
      raf.write(junk);
    }
    kiln.registerParquet("corrupt", file);
    KilnException e = assertThrows(KilnException.class,
        () -> kiln.execute("SELECT count(*) FROM corrupt WHERE k = 10"));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("column k")
        && e.getMessage().contains("column index"), e.getMessage());
    // Without a filter on k, the damaged index is never read.
    assertEquals((long) ROWS, ((Number) kiln.execute("SELECT count(*) FROM corrupt WHERE id >= 0").get(0, 0))
        .longValue());
  }

  @Test
  void skipsPagesOnS3() throws Exception {
    Path file = dir.resolve("s3.parquet");
    write(file, WriterVersion.PARQUET_2_0, true);
    try (S3ProxyServer server = S3ProxyServer.start()) {
      try (S3Client client = server.client()) {
        S3ProxyServer.upload(client, "pages", "t/", List.of(file));
      }
      S3Config config = S3Config.builder().endpoint(server.endpoint()).region("us-east-1").pathStyle(true)
          .credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL).build();
      try (Kiln s3 = Kiln.builder().threads(2).s3(config).build()) {
        s3.registerParquet("remote", "s3://pages/t/" + file.getFileName());
        duck.registerParquet("remote", file);
        String sql = "SELECT id, k, name, note FROM remote WHERE k BETWEEN 16000 AND 17000";
        ResultAssert.assertSameRows(sql, s3.execute(sql), duck.query(sql), false);
        String scan = scanLine(s3, "EXPLAIN ANALYZE " + sql, "remote");
        long skipped = Long.parseLong(scan.replaceAll(".*pages skipped (\\d+).*", "$1"));
        assertTrue(skipped > 0, scan);
      }
    }
  }

  private static void assertLikeDuckDb(String sql) {
    Result r = kiln.execute(sql);
    ResultAssert.assertSameRows(sql, r, duck.query(sql), false);
  }

  private static String scanLine(Kiln k, String sql, String table) {
    List<String> lines = k.execute(sql).rows().stream().map(r -> (String) r[0]).collect(Collectors.toList());
    return lines.stream().filter(l -> l.startsWith("Scan " + table + ": ")).findFirst().orElse(lines.toString());
  }

  private static int rowGroups(Path file) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      return r.getFooter().getBlocks().size();
    }
  }

  /** Whether the first row group's columns start their pages at different rows. */
  private static boolean pageRowCountsDiffer(Path file) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      Set<List<Long>> boundaries = new HashSet<>();
      for (ColumnChunkMetaData c : r.getFooter().getBlocks().get(0).getColumns()) {
        OffsetIndex oi = r.readOffsetIndex(c);
        List<Long> starts = new ArrayList<>();
        for (int p = 0; p < oi.getPageCount(); p++) {
          starts.add(oi.getFirstRowIndex(p));
        }
        boundaries.add(starts);
      }
      return boundaries.size() > 3;
    }
  }
}
