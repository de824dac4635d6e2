package io.kiln.physical.agg;

import static io.kiln.testing.TinyTables.col;
import static io.kiln.testing.TinyTables.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIN and MAX of strings order by unsigned UTF-8 bytes (code point order), as ORDER BY and DuckDB do:
 * supplementary characters sort after U+E000..U+FFFD, where UTF-16 order puts them before. The same
 * rows are a MemoryTable and a Parquet file with a dictionary-encoded string column; DuckDB reads the
 * file. Groups hold only NULLs, only '' and NULLs, only strings at and above U+E000, or strings that
 * are prefixes of each other. Both modes, two threads over several batches, so partial states merge.
 * MIN and MAX of booleans (kept as the longs 0 and 1) are checked on the same rows.
 */
class StringMinMaxTest {
  private static final int ROWS = 100_000; // about 3 MemoryTable batches and several row groups
  /** Strings at and above U+E000: UTF-16 order and code point order disagree on them. */
  private static final List<String> HIGH = List.of("\ue000", "\ufffd", "\ud83d\ude00", "\ue000x", "\ud83d\ude00\ud83d\ude00",
      "\ufffdz", "\ud840\udc00");
  private static final List<String> PREFIXES = List.of("ab", "abc", "a", "abcdefghijklmnop", "abcdefghijklmnopq",
      "abcdefghijklmnoo", "abd");
  private static final List<String> POOL = pool();
  private static RootAllocator allocator;
  private static MemoryTable memory;
  private static DuckDbOracle duckDb;
  @TempDir static Path dir;
  private static Path file;

  private static List<String> pool() {
    List<String> p = new ArrayList<>(List.of("", "a", "ab", "abc", "abd", "b", "B", "Z", "z", "\u007f", "\u0080", "\u00e9",
        "\u00ff", "\u20ac", "\u65e5\u672c", "\ue000", "\ufffd", "\ud83d\ude00", "\ud83d\ude00a", "a\ud83d\ude00",
        "a\ufffd", "a\ue000", "\ud800\udc00", "DELIVER IN PERSON", "TAKE BACK RETURN"));
    p.add(null);
    SplittableRandom random = new SplittableRandom(11);
    String[] alphabet = {"a", "b", "\u00e9", "\ufffd", "\ue000", "\ud83d\ude00", "Z"};
    for (int i = 0; i < 500; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(9);
      for (int j = 0; j < length; j++) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      p.add(s.toString());
    }
    return p;
  }

  private static Long k(long r) {
    return r % 101 == 0 ? null : r % 13;
  }

  private static String s(long r) {
    Long k = k(r);
    if (k == null) {
      return POOL.get((int) (r * 31 % POOL.size()));
    }
    switch (k.intValue()) {
      case 12:
        return null; // a group of NULLs only
      case 11:
        return r % 3 == 0 ? "" : null;
      case 10:
        return r % 11 == 0 ? null : HIGH.get((int) (r * 17 % HIGH.size()));
      case 9:
        return PREFIXES.get((int) (r * 5 % PREFIXES.size()));
      default:
        return POOL.get((int) (r * 7919 % POOL.size()));
    }
  }

  private static Boolean flag(long r) {
    return r % 17 == 0 ? null : r % 13 == 3 ? Boolean.TRUE : r % 13 == 4 ? Boolean.FALSE : r % 5 == 0;
  }

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT64).named("k")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s")
      .required(PrimitiveTypeName.INT64).named("v")
      .optional(PrimitiveTypeName.BOOLEAN).named("flag")
      .named("t");

  @BeforeAll
  static void setUp() throws Exception {
    allocator = new RootAllocator();
    List<Object[]> rows = new ArrayList<>();
    file = dir.resolve("strings.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(SCHEMA).withWriterVersion(WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(true).withDictionaryPageSize(1 << 20).withPageSize(8192)
        .withRowGroupSize(256 * 1024L).build()) {
      for (long r = 0; r < ROWS; r++) {
        long v = r * 7 % ROWS; // not in id order, so each thread's part holds some of every kind
        rows.add(new Object[] {r, k(r), s(r), v, flag(r)});
        Group g = f.newGroup().append("id", r).append("v", v);
        if (k(r) != null) {
          g.append("k", k(r));
        }
        if (s(r) != null) {
          g.append("s", s(r));
        }
        if (flag(r) != null) {
          g.append("flag", flag(r));
        }
        w.write(g);
      }
    }
    memory = MemoryTable.fromRows(schema(col("id", DataType.BIGINT), col("k", DataType.BIGINT),
        col("s", DataType.VARCHAR), col("v", DataType.BIGINT), col("flag", DataType.BOOLEAN)), rows, allocator);
    duckDb = new DuckDbOracle(2);
    duckDb.execute("CREATE TABLE t AS SELECT * FROM read_parquet('" + file.toString().replace("'", "''") + "')");
  }

  @AfterAll
  static void tearDown() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      if (memory != null) {
        memory.close();
      }
      allocator.close(); // fails if the table leaked
    }
  }

  private static Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    kiln.registerTable("t", memory);
    kiln.registerParquet("p", file);
    return kiln;
  }

  @Test
  void theParquetFileHasADictionaryEncodedStringColumnInSeveralRowGroups() throws Exception {
    Set<Encoding> encodings = EnumSet.noneOf(Encoding.class);
    int rowGroups;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      rowGroups = r.getFooter().getBlocks().size();
      for (BlockMetaData b : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          if (c.getPath().toDotString().equals("s")) {
            encodings.addAll(c.getEncodings());
          }
        }
      }
    }
    assertTrue(encodings.contains(Encoding.PLAIN_DICTIONARY) || encodings.contains(Encoding.RLE_DICTIONARY),
        encodings.toString());
    assertTrue(rowGroups > 1, rowGroups + " row groups");
  }

  /** Each query runs on the MemoryTable {@code t} and on the Parquet file {@code p}; DuckDB reads the file. */
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT min(s), max(s), count(s) FROM {t}",
      "SELECT k, min(s), max(s), count(*), count(s) FROM {t} GROUP BY k",
      "SELECT k, min(s), max(s), count(s) FROM {t} WHERE v % 3 <> 0 GROUP BY k",
      "SELECT min(s), max(s) FROM {t} WHERE k = 10",
      "SELECT min(s), max(s) FROM {t} WHERE k = 9",
      "SELECT min(s), max(s) FROM {t} WHERE k = 11",
      "SELECT min(s), max(s) FROM {t} WHERE k = 12",
      "SELECT min(s), max(s) FROM {t} WHERE v < 0",
      "SELECT k, max(s) FILTER (WHERE v % 5 = 1), min(s) FILTER (WHERE v % 5 <> 1), max(s), min(s) FROM {t} GROUP BY k",
      "SELECT max(s) FILTER (WHERE v % 5 = 1), min(s) FILTER (WHERE k = 10), max(s) FROM {t}",
      "SELECT k, max(upper(s)), min(s || 'x'), max(substr(s, 2)), min(CASE WHEN v % 2 = 0 THEN s END) FROM {t} GROUP BY k",
      "SELECT max(upper(s)), min(s || 'x'), max(substr(s, 2)), max('\u00e9') FROM {t}",
      "SELECT k, min(CASE WHEN v % 4 = 0 THEN 'zz' ELSE s END), max(CASE WHEN v % 4 = 0 THEN 'a' ELSE s END) FROM {t}"
          + " GROUP BY k",
      "SELECT k % 3, v % 2, min(s), max(s) FROM {t} GROUP BY k % 3, v % 2",
      "SELECT s IS NULL, min(s), max(s), count(*) FROM {t} GROUP BY s IS NULL",
      "SELECT k, min(DISTINCT s), max(DISTINCT s) FROM {t} GROUP BY k",
      "SELECT k, min(s), max(s) FROM {t} WHERE s >= '\ue000' GROUP BY k",
      "SELECT k, min(flag), max(flag), min(v % 2 = 0), max(v % 7 = 0) FROM {t} GROUP BY k",
      "SELECT min(flag), max(flag), min(flag) FILTER (WHERE k = 3), max(flag) FILTER (WHERE k = 4) FROM {t}",
  })
  void matchesDuckDbInBothModes(String sql) {
    List<Object[]> expected = duckDb.query(sql.replace("{t}", "t"));
    for (ExecutionMode mode : Modes.all()) {
      try (Kiln kiln = session(mode)) {
        for (String table : List.of("t", "p")) {
          String q = sql.replace("{t}", table);
          ResultAssert.assertSameRows(mode + " mode: " + q, kiln.execute(q), expected, false);
          String plan = kiln.execute("EXPLAIN CODEGEN " + q).rows().stream().map(row -> (String) row[0])
              .collect(Collectors.joining("\n"));
          assertFalse(plan.contains("split into one method per step"), "compiles without splitting: " + plan);
        }
      }
    }
  }

  /** max() is the first row of ORDER BY DESC, min() of ORDER BY ASC: one string order in the engine. */
  @Test
  void agreesWithOrderBy() {
    for (ExecutionMode mode : Modes.all()) {
      try (Kiln kiln = session(mode)) {
        for (String table : List.of("t", "p")) {
          Object[] minMax = kiln.execute("SELECT min(s), max(s) FROM " + table + " WHERE k = 10").rows().get(0);
          assertEquals(kiln.execute("SELECT s FROM " + table + " WHERE k = 10 AND s IS NOT NULL ORDER BY s LIMIT 1")
              .rows().get(0)[0], minMax[0], mode + " " + table);
          assertEquals(kiln.execute("SELECT s FROM " + table + " WHERE k = 10 ORDER BY s DESC NULLS LAST LIMIT 1")
              .rows().get(0)[0], minMax[1], mode + " " + table);
          assertEquals("\ue000", minMax[0]);
          assertEquals("\ud840\udc00", minMax[1]);
        }
      }
    }
  }

  /**
   * Partial states merged group by group keep the better value of each pair (the other side's
   * group ids mapped), take groups only one side has, and compare ASCII with non-ASCII bytes unsigned.
   */
  @Test
  void mergeKeepsTheBestOfBothSides() {
    String smile = "\ud83d\ude00";
    try (RootAllocator alloc = new RootAllocator()) {
      for (boolean min : new boolean[] {true, false}) {
        AggStates.MinMaxString a = new AggStates.MinMaxString(min);
        AggStates.MinMaxString b = new AggStates.MinMaxString(min);
        a.ensure(7);
        b.ensure(7);
        update(a, alloc, new int[] {0, 0, 1, 4, 5, 6}, "\ufffd", "", "ab", "z", "\u00e9", "abc");
        // b's group j is a's group 6 - j; a's group 3 has no value on either side
        update(b, alloc, new int[] {6, 4, 2, 1, 0, 3}, smile, "abc", "\u00e9", "z", "ab", null);
        a.merge(b, new int[] {6, 5, 4, 3, 2, 1, 0}, 7);
        try (ValueVector v = a.result(7, alloc)) {
          VarCharVector out = (VarCharVector) v;
          String[] expected = min ? new String[] {"", "ab", "abc", null, "z", "z", "ab"}
              : new String[] {smile, "ab", "abc", null, "\u00e9", "\u00e9", "abc"};
          for (int g = 0; g < 7; g++) {
            assertEquals(expected[g], text(out, g), (min ? "min" : "max") + " of group " + g);
          }
        }
      }
    }
  }

  private static void update(AggState state, RootAllocator alloc, int[] groups, String... values) {
    try (VarCharVector v = new VarCharVector("x", alloc)) {
      v.allocateNew();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
        }
      }
      v.setValueCount(values.length);
      state.update(groups, values.length, v, null);
    }
  }

  private static String text(VarCharVector v, int i) {
    return v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8);
  }
}
