package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
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
 * EQ/IN/LIKE predicates on dictionary-encoded string columns drop rows in the scan, decided once per
 * dictionary entry: the scan metrics count exactly the rows that fail, answers equal DuckDB's, and
 * chunks with non-dictionary pages (where ids cannot tell) are left to the engine's filter.
 */
class DictionaryIdFilterTest {
  private static final int ROWS = 40_000;
  private static final String[] MODES = {"AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "RÉG AIR"};
  private static final String[] INSTRUCTIONS = {"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};

  @TempDir static Path dir;
  private static Kiln kiln;
  private static DuckDbOracle duck;
  private static ParquetTable table;

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("instr")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mixed")
      .required(PrimitiveTypeName.DOUBLE).named("amount")
      .named("t");

  static String mode(int i) {
    return i % 17 == 5 ? null : MODES[(i * 7 + i / 5) % MODES.length];
  }

  static String instr(int i) {
    return INSTRUCTIONS[(i / 3) % INSTRUCTIONS.length];
  }

  /** Few distinct values, then all distinct: the dictionary overflows and later pages are PLAIN. */
  static String mixed(int i) {
    return i % 10 == 9 ? null : (i % 10_000) < 4_000 ? "m" + (i % 5) : "u" + i;
  }

  @BeforeAll
  static void write() throws Exception {
    Path file = dir.resolve("dict.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(SCHEMA).withWriterVersion(WriterVersion.PARQUET_1_0)
        .withPageSize(4096).withPageRowCountLimit(1000).withDictionaryPageSize(8192)
        .withRowGroupSize(200 * 1024L).build()) {
      for (int i = 0; i < ROWS; i++) {
        Group g = f.newGroup().append("id", (long) i).append("instr", instr(i)).append("amount", i * 0.5);
        if (mode(i) != null) {
          g.append("mode", mode(i));
        }
        if (mixed(i) != null) {
          g.append("mixed", mixed(i));
        }
        w.write(g);
      }
    }
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
  void inListDropsExactlyTheRowsWhoseEntryFails() {
    long matching = count(i -> "MAIL".equals(mode(i)) || "SHIP".equals(mode(i)));
    assertLikeDuckDb("SELECT id, mode, amount FROM t WHERE mode IN ('MAIL', 'SHIP')");
    assertEquals(ROWS - matching, table.lastScanMetrics().rowsFilteredOnDictionary());
    assertLikeDuckDb("SELECT count(*), sum(amount) FROM t WHERE mode = 'RÉG AIR'");
    assertEquals(ROWS - count(i -> "RÉG AIR".equals(mode(i))), table.lastScanMetrics().rowsFilteredOnDictionary());
  }

  @Test
  void predicatesOnSeveralColumnsAndOnOneColumnAllApply() {
    long matching = count(i -> "AIR".equals(mode(i)) && "DELIVER IN PERSON".equals(instr(i)));
    assertLikeDuckDb("SELECT id, instr FROM t WHERE mode = 'AIR' AND instr = 'DELIVER IN PERSON'");
    assertEquals(ROWS - matching, table.lastScanMetrics().rowsFilteredOnDictionary());
    assertLikeDuckDb("SELECT id FROM t WHERE mode IN ('MAIL', 'SHIP') AND mode = 'MAIL'");
    assertEquals(ROWS - count(i -> "MAIL".equals(mode(i))), table.lastScanMetrics().rowsFilteredOnDictionary());
  }

  @Test
  void worksOnTheRowsLeftByPageSkipping() {
    assertLikeDuckDb("SELECT * FROM t WHERE mode IN ('MAIL', 'nowhere') AND id BETWEEN 12345 AND 13000");
    ScanMetrics m = table.lastScanMetrics();
    assertTrue(m.pagesSkipped() > 0 && m.rowsFilteredOnDictionary() > 0, m.toString());
  }

  @Test
  void likeAndNotLikeAreDecidedPerEntry() {
    assertLikeDuckDb("SELECT id, mode FROM t WHERE mode LIKE '%AIR'");
    assertEquals(ROWS - count(i -> mode(i) != null && mode(i).endsWith("AIR")),
        table.lastScanMetrics().rowsFilteredOnDictionary());
    assertLikeDuckDb("SELECT id, mode FROM t WHERE mode NOT LIKE '%AIR'");
    assertEquals(ROWS - count(i -> mode(i) != null && !mode(i).endsWith("AIR")),
        table.lastScanMetrics().rowsFilteredOnDictionary());
    // '_' takes the regex path; a multi-byte character is one '_'
    assertLikeDuckDb("SELECT count(*) FROM t WHERE mode LIKE 'R_G%'");
    assertEquals(ROWS - count(i -> "RÉG AIR".equals(mode(i))), table.lastScanMetrics().rowsFilteredOnDictionary());
    assertLikeDuckDb("SELECT count(*) FROM t WHERE instr LIKE 'T%' AND mode NOT LIKE 'S%'");
    assertEquals(ROWS - count(i -> instr(i).startsWith("T") && mode(i) != null && !mode(i).startsWith("S")),
        table.lastScanMetrics().rowsFilteredOnDictionary());
  }

  @Test
  void rowGroupsWithNoEntryLikeThePatternAreSkipped() {
    assertLikeDuckDb("SELECT count(*) FROM t WHERE mode LIKE '%BOAT%'");
    ScanMetrics m = table.lastScanMetrics();
    assertTrue(m.rowGroupsRead() == 0 && m.rowGroupsSkippedByDictionary() > 0, m.toString());
  }

  @Test
  void leavesRowsAloneWhenIdsCannotDecide() {
    // Every entry matches: nothing to drop.
    assertLikeDuckDb("SELECT count(*) FROM t WHERE instr IN ('DELIVER IN PERSON', 'COLLECT COD', 'NONE', "
        + "'TAKE BACK RETURN')");
    assertEquals(0, table.lastScanMetrics().rowsFilteredOnDictionary());
    // Chunks whose later pages are PLAIN: only the engine's filter decides.
    assertLikeDuckDb("SELECT id, mixed FROM t WHERE mixed = 'm3'");
    assertEquals(0, table.lastScanMetrics().rowsFilteredOnDictionary());
    // Not an EQ/IN conjunct: no column predicate reaches the scan.
    assertLikeDuckDb("SELECT count(*) FROM t WHERE mode = 'SHIP' OR id < 10");
    assertEquals(0, table.lastScanMetrics().rowsFilteredOnDictionary());
  }

  @Test
  void nullTestsAreDecidedOnIdsToo() {
    // NULL rows of an all-dictionary chunk carry an id of their own (see DictionaryIdColumn).
    assertLikeDuckDb("SELECT count(*) FROM t WHERE mode IS NULL");
    assertTrue(table.lastScanMetrics().rowsFilteredOnDictionary() > 0, table.lastScanMetrics().toString());
  }

  private static long count(java.util.function.IntPredicate p) {
    return java.util.stream.IntStream.range(0, ROWS).filter(p).count();
  }

  private static void assertLikeDuckDb(String sql) {
    Result r = kiln.execute(sql);
    ResultAssert.assertSameRows(sql, r, duck.query(sql), false);
  }
}
