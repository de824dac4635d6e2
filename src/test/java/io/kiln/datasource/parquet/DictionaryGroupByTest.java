package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.column.EncodingStats;
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

/**
 * GROUP BY on dictionary-encoded Parquet columns, whose rows find their groups through the
 * scan's dictionary ids. The file's row groups have different dictionaries: the same string at
 * different ids, and different strings at the same id; the keys have NULLs; one column falls back
 * from dictionary to plain pages part way through each chunk. One, two and three keys, string and
 * integer keys, filters pushed into the scan (decided on ids, on values, with selective decoding)
 * and above it, a join before the aggregation, two workers whose partial tables merge, whole and
 * sliced row groups, both execution modes: every answer must equal DuckDB's, and EXPLAIN ANALYZE
 * must show the ids were used where they can be and not where they cannot.
 */
class DictionaryGroupByTest {
  private static final int ROWS = 100_000;
  /** Row groups of 40,000 rows: morsels of two batches each (a batch holds 32K rows), and a last short one. */
  private static final int GROUP_ROWS = 40_000;
  /**
   * Per row group, the values of {@code s1}: reversed in the second (same strings, other ids), partly
   * new in the third (other strings at the same ids).
   */
  private static final String[][] S1 = {
      {"a", "b", "c", "d", "e"}, {"e", "d", "c", "b", "a"}, {"c", "zz", "a", "yy", "e"}};
  private static final String[][] S2 = {
      {"x", "y", "z"}, {"z", "x", "y"}, {"y", "w", "a string longer than a long"}};

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s1")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s2")
      .optional(PrimitiveTypeName.INT32).named("k")
      .optional(PrimitiveTypeName.INT32).named("band")
      .required(PrimitiveTypeName.INT64).named("v")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("fb")
      .named("groups");

  @TempDir static Path dir;
  private static DuckDbOracle duck;
  private static Path file;

  @BeforeAll
  static void write() throws Exception {
    duck = new DuckDbOracle(2);
    file = dir.resolve("groups.parquet");
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    conf.set("parquet.page.size.row.check.min", "10");
    conf.set("parquet.page.size.row.check.max", "50");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(conf)
        .withType(SCHEMA).withWriterVersion(WriterVersion.PARQUET_1_0).withDictionaryEncoding(true)
        .withCompressionCodec(CompressionCodecName.SNAPPY).withPageSize(4096).withPageRowCountLimit(700)
        .withDictionaryPageSize(2048).withRowGroupRowCountLimit(GROUP_ROWS).withRowGroupSize(256L << 20).build()) {
      for (int i = 0; i < ROWS; i++) {
        int g = i / GROUP_ROWS;
        int inGroup = i % GROUP_ROWS;
        Group row = f.newGroup().append("id", (long) i);
        if (i % 13 != 5) {
          row.append("s1", S1[g][(i * 7 + i / 5) % 5]);
        }
        if (i % 11 != 3) {
          row.append("s2", S2[g][(i / 3) % 3]);
        }
        if (i % 17 != 2) {
          row.append("k", (i % 4) * 1000 + g);
        }
        row.append("band", (i / 450) % 4);
        row.append("v", (i * 37L) % 10_007);
        if (i % 19 != 7) {
          // A few values, then distinct ones: the dictionary outgrows its page and the chunk goes on in PLAIN.
          row.append("fb", inGroup < 2_000 ? "f" + inGroup % 10 : "fallback " + i);
        }
        w.write(row);
      }
    }
    duck.registerParquet("t", file);
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  @Test
  void theFileHasWhatTheTestsNeed() throws Exception {
    int groups = 0;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      for (BlockMetaData b : r.getFooter().getBlocks()) {
        groups++;
        for (ColumnChunkMetaData c : b.getColumns()) {
          String name = c.getPath().toDotString();
          EncodingStats stats = c.getEncodingStats();
          if (name.equals("fb")) {
            assertTrue(stats.hasDictionaryPages() && stats.hasDictionaryEncodedPages()
                && stats.hasNonDictionaryEncodedPages(), "fb falls back to plain pages mid-chunk: " + stats);
          } else if (name.startsWith("s") || name.equals("k")) {
            assertTrue(DictionaryPruner.onlyDictionaryPages(c), name + " is all dictionary-encoded: " + stats);
          }
        }
      }
    }
    assertEquals(3, groups);
  }

  private static final List<String> QUERIES = List.of(
      "SELECT s1, count(*), sum(v) FROM t GROUP BY s1",
      "SELECT s1, s2, count(*), sum(v), min(v), max(v), avg(v) FROM t GROUP BY s1, s2",
      "SELECT s2, s1, k, count(*), sum(v) FROM t GROUP BY s2, s1, k", // three keys, one an integer
      "SELECT k, count(*), sum(v) FROM t GROUP BY k", // one integer key
      "SELECT s1, count(s1), count(s2), max(v) FROM t GROUP BY s1", // the key is an argument too
      "SELECT s1, count(DISTINCT s2), min(s2), max(s2) FROM t GROUP BY s1", // aggregates generated code adds row by row
      "SELECT s1, s2, count(*), sum(v) FROM t WHERE v % 3 = 0 GROUP BY s1, s2", // a filter above the scan
      "SELECT s1, s2, count(*), sum(v) FROM t WHERE band = 1 GROUP BY s1, s2", // runs selected: selective decoding
      "SELECT s2, count(*), sum(v) FROM t WHERE v < 3000 GROUP BY s2", // scattered survivors, compacted
      // Most rows pass: batches keep them all, and the next batch of a row group skips the scan's predicates.
      "SELECT s1, s2, count(*), sum(v) FROM t WHERE v < 9000 GROUP BY s1, s2",
      "SELECT s2, s1, count(*) FROM t WHERE s2 IN ('x', 'y', 'z', 'w') GROUP BY s2, s1",
      "SELECT s1, count(*), sum(v) FROM t WHERE s1 IN ('a', 'e', 'zz') GROUP BY s1", // the key filtered on its ids
      "SELECT s1, s2, count(*) FROM t WHERE s2 <> 'x' AND band = 2 GROUP BY s1, s2",
      "SELECT s1, count(*) FROM t WHERE s1 > 'b' GROUP BY s1", // the key decoded first to filter its values
      "SELECT s1, s2, count(*), sum(v) FROM t WHERE id BETWEEN 39000 AND 41000 GROUP BY s1, s2", // across row groups
      "SELECT fb, count(*), sum(v) FROM t GROUP BY fb", // dictionary, then plain pages
      "SELECT s1, fb, count(*) FROM t WHERE fb LIKE 'f%' GROUP BY s1, fb",
      "SELECT s1 || 'x', count(*) FROM t GROUP BY s1 || 'x'", // a computed key
      "SELECT t.s1, t.s2, count(*), sum(u.v) FROM t JOIN t u ON t.k = u.k WHERE u.id < 40 GROUP BY t.s1, t.s2");

  @Test
  void answersEqualDuckDbsInBothModesWholeAndSliced() {
    List<List<Object[]>> expected = new ArrayList<>();
    for (String sql : QUERIES) {
      expected.add(duck.query(sql));
    }
    for (ExecutionMode mode : Modes.all()) {
      for (RowGroupSlicer slicer : List.of(LateMaterializationTest.NO_SLICES, LateMaterializationTest.SMALL_SLICES)) {
        try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
          kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE, slicer));
          for (int q = 0; q < QUERIES.size(); q++) {
            String sql = QUERIES.get(q);
            String what = mode + (slicer == LateMaterializationTest.SMALL_SLICES ? ", sliced" : "") + ": " + sql;
            ResultAssert.assertSameRows(what, kiln.execute(sql), expected.get(q), false);
          }
        }
      }
    }
  }

  @Test
  void explainAnalyzeShowsRowsGroupedByDictionaryIds() {
    for (ExecutionMode mode : Modes.all()) {
      try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
        kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE,
            LateMaterializationTest.NO_SLICES));
        assertEquals(ROWS, groupedByIds(kiln, "SELECT s1, s2, count(*) FROM t GROUP BY s1, s2"), mode.toString());
        assertEquals(ROWS, groupedByIds(kiln, "SELECT k, sum(v) FROM t GROUP BY k"), mode.toString());
        long band1 = ((Number) kiln.execute("SELECT count(*) FROM t WHERE band = 1").rows().get(0)[0]).longValue();
        assertEquals(band1, groupedByIds(kiln, "SELECT s1, count(*) FROM t WHERE band = 1 GROUP BY s1"), mode.toString());
        // Chunks with plain pages have no ids to give; an aggregation with a computed key does not even count them.
        assertEquals(0, groupedByIds(kiln, "SELECT fb, count(*) FROM t GROUP BY fb"), mode.toString());
        assertEquals(0, groupedByIds(kiln, "SELECT s1, fb, count(*) FROM t GROUP BY s1, fb"), mode.toString());
        assertEquals(-1, groupedByIds(kiln, "SELECT s1 || 'x', count(*) FROM t GROUP BY s1 || 'x'"), mode.toString());
        // Compiled code reads the scan's batch through a filter; the interpreted filter's compaction keeps the ids.
        long kept = ((Number) kiln.execute("SELECT count(*) FROM t WHERE v % 3 = 0").rows().get(0)[0]).longValue();
        assertEquals(kept, groupedByIds(kiln, "SELECT s1, count(*) FROM t WHERE v % 3 = 0 GROUP BY s1"),
            mode + ": the rows a filter above the scan keeps");
        // Where most rows pass, the scan keeps whole batches (and skips its predicates on the next ones).
        long most = ((Number) kiln.execute("SELECT count(*) FROM t WHERE v < 9000").rows().get(0)[0]).longValue();
        assertEquals(most, groupedByIds(kiln, "SELECT s1, s2, count(*) FROM t WHERE v < 9000 GROUP BY s1, s2"),
            mode + ": most rows pass the scan's predicate");
        // Generated code probes a join with the scan's rows in hand (repeated, one per match); the
        // interpreted join makes new batches.
        long joined = ((Number) kiln.execute("SELECT count(*) FROM t JOIN t u ON t.k = u.k WHERE u.id < 40").rows()
            .get(0)[0]).longValue();
        assertEquals(mode == ExecutionMode.COMPILED ? joined : 0, groupedByIds(kiln,
            "SELECT t.s1, t.s2, count(*) FROM t JOIN t u ON t.k = u.k WHERE u.id < 40 GROUP BY t.s1, t.s2"),
            mode + ": a join before the aggregation");
      }
    }
  }

  /** An aggregation too large for one generated method: split mode, each step a method of its own. */
  @Test
  void generatedCodeSplitIntoMethodsGroupsByIds() {
    java.util.StringJoiner sums = new java.util.StringJoiner(", ");
    for (int i = 0; i < 60; i++) {
      sums.add("sum(CASE WHEN v > " + i * 150 + " THEN v - " + i + " ELSE k END)");
    }
    String sql = "SELECT s1, s2, count(*), " + sums + " FROM t WHERE band <> 3 GROUP BY s1, s2";
    try (Kiln kiln = Modes.builder(ExecutionMode.COMPILED).threads(2).build()) {
      kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE,
          LateMaterializationTest.NO_SLICES));
      ResultAssert.assertSameRows(sql, kiln.execute(sql), duck.query(sql), false);
      assertEquals(1, kiln.codegenMetrics().splits(), "the single-method version exceeds the JIT limit");
      long kept = ((Number) kiln.execute("SELECT count(*) FROM t WHERE band <> 3").rows().get(0)[0]).longValue();
      assertEquals(kept, groupedByIds(kiln, sql));
    }
  }

  @Test
  void duckDbWrittenFilesGroupAsDuckDb() {
    List<String> queries = List.of(
        "SELECT lowcard, count(*), sum(small) FROM d GROUP BY lowcard",
        "SELECT lowcard, small, count(*), max(id) FROM d GROUP BY lowcard, small",
        "SELECT small, count(*) FROM d WHERE int32 > 0 GROUP BY small",
        "SELECT lowcard, flag, count(*) FROM d GROUP BY lowcard, flag");
    for (String version : List.of("V1", "V2")) {
      Path f = dir.resolve("duckdb-" + version + ".parquet");
      ParquetTestFiles.duckDb(duck, f, 20_000, "SNAPPY", version, 3_000);
      duck.registerParquet("d", f);
      for (ExecutionMode mode : Modes.all()) {
        try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
          kiln.registerTable("d", new ParquetTable(f.toString(), LocalFileStore.INSTANCE,
              LateMaterializationTest.SMALL_SLICES));
          for (String sql : queries) {
            ResultAssert.assertSameRows(version + ", " + mode + ": " + sql, kiln.execute(sql), duck.query(sql), false);
          }
          assertTrue(groupedByIds(kiln, queries.get(0)) > 0, version + ", " + mode);
        }
      }
    }
  }

  private static final Pattern GROUPED = Pattern.compile("rows grouped by dictionary id=(\\d+)");

  /**
   * What EXPLAIN ANALYZE says the query's one aggregation grouped by dictionary ids; -1 when it
   * does not say (an aggregation with a computed key cannot group by them).
   */
  static long groupedByIds(Kiln kiln, String sql) {
    List<Long> found = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Object[] line : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
      text.append(line[0]).append('\n');
      Matcher m = GROUPED.matcher((String) line[0]);
      while (m.find()) {
        found.add(Long.parseLong(m.group(1)));
      }
    }
    assertTrue(found.size() <= 1, "one aggregation in:\n" + text);
    return found.isEmpty() ? -1 : found.get(0);
  }
}
