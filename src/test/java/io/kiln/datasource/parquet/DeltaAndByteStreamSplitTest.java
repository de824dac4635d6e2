package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
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
 * Kiln's own DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT decoders on the values
 * that stress them: deltas spanning the whole 64-bit range (bit width 64), INT32 deltas that wrap,
 * strings sharing long prefixes, empty strings, NULLs, and pages entered part-way when the page
 * index skips rows (the decoders' skip). Answers must equal DuckDB's on the same file.
 */
class DeltaAndByteStreamSplitTest {
  private static final int ROWS = 30_000;
  @TempDir static Path dir;
  private static Kiln kiln;
  private static DuckDbOracle duck;
  private static ParquetTable table;

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("i32")
      .optional(PrimitiveTypeName.INT64).named("i64")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s")
      .optional(PrimitiveTypeName.FLOAT).named("f")
      .optional(PrimitiveTypeName.DOUBLE).named("d")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
      .named("t");

  @BeforeAll
  static void write() throws Exception {
    Path file = dir.resolve("delta.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    SplittableRandom random = new SplittableRandom(7);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(SCHEMA).withWriterVersion(WriterVersion.PARQUET_2_0)
        .withDictionaryEncoding(false).withByteStreamSplitEncoding(true)
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).withPageSize(2048).withPageRowCountLimit(700)
        .withRowGroupSize(256 * 1024L).build()) {
      String previous = "";
      for (int i = 0; i < ROWS; i++) {
        Group g = f.newGroup().append("id", (long) i);
        int kind = random.nextInt(10);
        if (i % 13 != 3) {
          g.append("i32", kind == 0 ? Integer.MIN_VALUE : kind == 1 ? Integer.MAX_VALUE : random.nextInt());
        }
        if (i % 11 != 4) {
          g.append("i64", kind == 2 ? Long.MIN_VALUE : kind == 3 ? Long.MAX_VALUE
              : kind < 6 ? random.nextLong() : i * 3L);
        }
        if (i % 9 != 2) {
          // often extends or cuts the previous string, so prefixes are shared at every length
          String s = kind < 4 ? previous + (char) ('a' + random.nextInt(26))
              : kind < 6 ? previous.substring(0, random.nextInt(previous.length() + 1))
              : kind == 6 ? "" : "é" + Long.toString(random.nextLong(), 36) + Long.toString(random.nextLong(), 36);
          s = s.length() > 300 ? s.substring(0, 10) : s;
          g.append("s", s); // random tails: the column's pages fill by size, ending at other rows than id's
          previous = s;
        }
        if (i % 7 != 5) {
          g.append("f", kind == 4 ? -Float.MAX_VALUE : (float) random.nextGaussian());
        }
        if (i % 8 != 6) {
          g.append("d", kind == 5 ? Double.MIN_VALUE : random.nextDouble() * 1e12 - 5e11);
        }
        if (i % 5 != 1) {
          g.append("day", 18_000 + random.nextInt(3000));
        }
        w.write(g);
      }
    }
    java.util.Set<Encoding> encodings = ParquetTestFiles.noEncodings();
    ParquetTestFiles.collect(file, encodings, new java.util.HashSet<>());
    assertTrue(encodings.containsAll(EnumSet.of(Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_BYTE_ARRAY,
        Encoding.BYTE_STREAM_SPLIT)), encodings.toString());
    kiln = Kiln.builder().threads(2).build();
    duck = new DuckDbOracle(2);
    table = new ParquetTable(file);
    kiln.registerTable("t", table);
    duck.registerParquet("t", file);
  }

  @AfterAll
  static void close() {
    try {
      duck.close();
    } finally {
      kiln.close(); // fails if any scan leaked Arrow memory
    }
  }

  @Test
  void everyValueReadsAsDuckDbReadsIt() {
    assertLikeDuckDb("SELECT * FROM t");
  }

  @Test
  void pagesEnteredPartWayAfterSkippedRows() {
    // id is sorted, so the page index keeps only the pages around these ids; the other columns'
    // pages start at other rows, so their decoders skip values inside pages
    for (String range : new String[] {"id BETWEEN 1234 AND 1250", "id BETWEEN 7001 AND 9999", "id >= 29990",
        "id IN (5, 700, 701, 15000, 29999)"}) {
      assertLikeDuckDb("SELECT * FROM t WHERE " + range);
      assertTrue(table.lastScanMetrics().pagesSkipped() > 0, range + ": " + table.lastScanMetrics());
    }
  }

  @Test
  void aggregatesOverTheDecodedColumns() {
    assertLikeDuckDb("SELECT count(i32), sum(CAST(i32 AS BIGINT)), min(i64), max(i64), count(s), max(length(s)), "
        + "min(s), max(s), count(f), count(d), min(d), max(day) FROM t");
  }

  private static void assertLikeDuckDb(String sql) {
    Result r = kiln.execute(sql);
    java.util.List<Object[]> expected = duck.query(sql);
    assertEquals(expected.size(), r.rowCount(), sql);
    ResultAssert.assertSameRows(sql, r, expected, false);
  }
}
