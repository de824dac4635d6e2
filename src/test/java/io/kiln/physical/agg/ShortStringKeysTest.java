package io.kiln.physical.agg;

import static io.kiln.testing.TinyTables.col;
import static io.kiln.testing.TinyTables.schema;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Grouping (and joining) on string keys that short-string packing could confuse if it dropped the
 * length or misread bytes: "a" and "a\0", "" and NULL, 7/8/9-byte strings sharing a prefix, short and
 * long strings in one column, non-ASCII bytes; compared with DuckDB in both modes, on two threads
 * over several batches so partial tables are merged.
 */
class ShortStringKeysTest {
  private static final int ROWS = 100_000; // about 3 batches of MemoryTable, so both threads aggregate
  private static final List<String> POOL = pool();
  private static RootAllocator allocator;
  private static MemoryTable rows;
  private static MemoryTable pool;
  private static DuckDbOracle duckDb;

  private static List<String> pool() {
    List<String> p = new ArrayList<>(List.of("", "\0", "\0\0", "a", "a\0", "\0a", "a\0\0", "ab", "ba", "A", "N", "R",
        "F", "O", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "abcdefg\0", "abcdef\0", "abcdefghijklmno",
        "abcdefghijklmnop", "abcdefghijklmnopq", "\u00e9", "\u00ff", "\u20ac\u20ac", "\u65e5\u672c", "\ud83d\ude00",
        "DELIVER IN PERSON", "TAKE BACK RETURN"));
    p.add(null);
    SplittableRandom random = new SplittableRandom(5);
    String[] alphabet = {"a", "b", "\0", "\u00e9", "z"};
    for (int i = 0; i < 3000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(13);
      for (int j = 0; j < length; j++) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      p.add(s.toString());
    }
    return p;
  }

  /** The same formulas make the rows in Kiln and in DuckDB. */
  private static long sIndex(long r) {
    return r * 7919 % POOL.size();
  }

  private static long uIndex(long r) {
    return (r * 104729 + 17) % 40; // only the hand-picked strings (and NULL): few groups
  }

  @BeforeAll
  static void setUp() {
    allocator = new RootAllocator();
    List<Object[]> data = new ArrayList<>();
    for (long r = 0; r < ROWS; r++) {
      data.add(new Object[] {POOL.get((int) sIndex(r)), POOL.get((int) Math.min(uIndex(r), 30)), r});
    }
    rows = MemoryTable.fromRows(schema(col("s", DataType.VARCHAR), col("u", DataType.VARCHAR), col("v", DataType.BIGINT)),
        data, allocator);
    List<Object[]> poolRows = new ArrayList<>();
    for (String s : POOL) {
      poolRows.add(new Object[] {s});
    }
    pool = MemoryTable.fromRows(schema(col("s", DataType.VARCHAR)), poolRows, allocator);

    duckDb = new DuckDbOracle(2);
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < POOL.size(); i++) {
      values.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(literal(POOL.get(i))).append(')');
    }
    duckDb.execute("CREATE TABLE pool_ids AS SELECT * FROM (VALUES " + values + ") p(id, s)");
    duckDb.execute("CREATE TABLE pool AS SELECT s FROM pool_ids");
    duckDb.execute("CREATE TABLE t AS SELECT a.s AS s, b.s AS u, r AS v FROM range(" + ROWS + ") g(r)"
        + " JOIN pool_ids a ON a.id = r * 7919 % " + POOL.size()
        + " JOIN pool_ids b ON b.id = least((r * 104729 + 17) % 40, 30)");
  }

  /** A DuckDB expression for a string, with control characters (NUL) as chr(n). */
  private static String literal(String s) {
    if (s == null) {
      return "NULL::VARCHAR";
    }
    StringBuilder out = new StringBuilder("(''");
    StringBuilder plain = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 32) {
        flush(out, plain);
        out.append(" || chr(").append((int) c).append(')');
      } else {
        plain.append(c == '\'' ? "''" : String.valueOf(c));
      }
    }
    flush(out, plain);
    return out.append(')').toString();
  }

  private static void flush(StringBuilder out, StringBuilder plain) {
    if (plain.length() > 0) {
      out.append(" || '").append(plain).append('\'');
      plain.setLength(0);
    }
  }

  @AfterAll
  static void tearDown() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      rows.close();
      pool.close();
      allocator.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT s, count(*), sum(v) FROM t GROUP BY s",
      "SELECT u, count(*), sum(v) FROM t GROUP BY u",
      "SELECT s, u, count(*), min(v) FROM t GROUP BY s, u",
      "SELECT u, v % 3, count(*) FROM t GROUP BY u, v % 3",
      "SELECT u || 'x', count(*) FROM t GROUP BY u || 'x'",
      "SELECT count(DISTINCT s), count(DISTINCT u) FROM t",
      "SELECT t.u, count(*) FROM t JOIN pool ON t.u = pool.s GROUP BY t.u",
  })
  void matchesDuckDbInBothModes(String sql) {
    List<Object[]> expected = duckDb.query(sql);
    for (ExecutionMode mode : Modes.all()) {
      try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
        kiln.registerTable("t", rows);
        kiln.registerTable("pool", pool);
        ResultAssert.assertSameRows(mode + " mode: " + sql, kiln.execute(sql), expected, false);
      }
    }
  }
}
