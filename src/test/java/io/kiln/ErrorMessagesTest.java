package io.kiln;

import io.kiln.error.KilnException;
import static io.kiln.testing.TinyTables.col;
import static io.kiln.testing.TinyTables.schema;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when something goes wrong: the kind, a message that says what and where, and a
 * session that still works and closes without leaking Arrow memory afterwards.
 */
class ErrorMessagesTest {
  static TinyTables t;

  @TempDir
  Path dir;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  /**
   * Runs the setup and the SQL in a fresh session, expects a KilnException, checks the session
   * still answers a query, and that it closes without a leak.
   */
  private static KilnException fails(Consumer<Kiln> setup, String sql) {
    Kiln kiln = t.session();
    KilnException e;
    try {
      setup.accept(kiln);
      e = assertThrows(KilnException.class, () -> kiln.execute(sql), sql);
      assertEquals(2L, ((Number) kiln.execute("SELECT count(*) FROM nonull").get(0, 0)).longValue(),
          "the session must still work after: " + e.getMessage());
    } catch (Throwable x) {
      // report the first failure, with a failing close attached rather than hiding it
      try {
        kiln.close();
      } catch (Throwable c) {
        x.addSuppressed(c);
      }
      throw x;
    }
    assertDoesNotThrow(kiln::close, "closing after an error must not find leaked memory");
    return e;
  }

  private static KilnException fails(String sql) {
    return fails(k -> {}, sql);
  }

  private static void assertKind(KilnException.Kind kind, KilnException e) {
    assertEquals(kind, e.kind(), e.getMessage());
    assertTrue(e.getMessage().startsWith(kind.name().toLowerCase() + " error: "), e.getMessage());
  }

  private static void assertContains(KilnException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  // ---- syntax and binding ----

  @Test
  void aggregateArgumentsThatCannotWork() {
    KilnException e = fails("SELECT quantile_cont(c_id, 1.5) FROM cust");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "fraction must be between 0 and 1", "at line 1, column 8");
    e = fails("SELECT quantile_disc(c_id, c_id) FROM cust");
    assertContains(e, "quantile_disc needs a constant as the fraction", "column 8");
    e = fails("SELECT string_agg(c_name, ',' ORDER BY c_id) FROM cust");
    assertKind(KilnException.Kind.UNSUPPORTED, e);
    assertContains(e, "ORDER BY inside string_agg other than by its first argument");
    e = fails("SELECT sum(c_id ORDER BY c_id) FROM cust");
    assertContains(e, "ORDER BY inside sum");
    e = fails("SELECT bool_and(c_id) FROM cust");
    assertContains(e, "bool_and needs a BOOLEAN argument, got");
    e = fails("SELECT median(c_id) OVER () FROM cust");
    assertKind(KilnException.Kind.UNSUPPORTED, e);
    assertContains(e, "aggregate median as a window function");
    e = fails("SELECT arg_min(c_name, c_id) OVER () FROM cust");
    assertContains(e, "aggregate arg_min as a window function");
    e = fails("SELECT arg_max(c_name, c_id, 2) FROM cust");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "arg_max takes two arguments", "the form returning a list of n values is not supported",
        "column 8");
  }

  @Test
  void syntaxErrorGivesLineAndColumn() {
    KilnException e = fails("SELECT c_id\nFROM cust\nWHERE c_id = = 1");
    assertKind(KilnException.Kind.SYNTAX, e);
    // the first '=' is fine; the second, the 14th character of line 3, is not
    assertContains(e, "'='", "line 3, column 14");
  }

  @Test
  void syntaxErrorAfterACompleteExpression() {
    KilnException e = fails("SELECT c_id\nFROM cust\nWHERE c_id = 1 1");
    assertKind(KilnException.Kind.SYNTAX, e);
    assertContains(e, "'1'", "line 3, column 16");
  }

  @Test
  void syntaxErrorOnTheFirstLine() {
    KilnException e = fails("SELECT c_id FROM cust ORDER c_id");
    assertKind(KilnException.Kind.SYNTAX, e);
    // ORDER is fine; c_id (where BY belongs) is the unexpected token
    assertContains(e, "'c_id'", "line 1, column 29");
  }

  @Test
  void unknownTableSuggestsAndPoints() {
    KilnException e = fails("SELECT *\n  FROM custt");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "unknown table custt", "did you mean cust?", "line 2, column 8");
  }

  @Test
  void unknownColumnSuggestsAndPoints() {
    KilnException e = fails("SELECT c_id,\n       c_nmae\nFROM cust");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "unknown column c_nmae", "did you mean c_name?", "line 2, column 8");
  }

  @Test
  void unknownColumnPositionIsTheColumnNotAnEarlierStringWithTheSameText() {
    // the name also appears inside a string literal before the reference
    KilnException e = fails("SELECT 'c_nmae' AS label, c_nmae FROM cust");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "unknown column c_nmae", "line 1, column 27");
  }

  @Test
  void ambiguousColumn() {
    KilnException e = fails("SELECT v FROM nums, nonull");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "column reference v is ambiguous", "qualify it");
  }

  @Test
  void nonGroupedColumnInSelect() {
    KilnException e = fails("SELECT c_name, count(*) FROM cust GROUP BY c_nation");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "c_name", "GROUP BY", "line 1, column 8");
  }

  @Test
  void aggregateInWhere() {
    KilnException e = fails("SELECT c_id FROM cust\nWHERE sum(c_id) > 1");
    assertKind(KilnException.Kind.BINDING, e);
    // says where it is not allowed and what to use instead
    assertContains(e, "aggregate", "WHERE", "HAVING");
    // pointing at the WHERE keyword or at sum itself are both fine
    assertTrue(e.getMessage().contains("line 2, column 1") || e.getMessage().contains("line 2, column 7"), e.getMessage());
  }

  @Test
  void wrongType() {
    KilnException e = fails("SELECT 'a' + 1 FROM cust");
    assertKind(KilnException.Kind.BINDING, e);
    assertContains(e, "+", "VARCHAR", "INTEGER");
  }

  @Test
  void distinctWindowAggregateIsUnsupported() {
    // Window functions are supported (WindowErrorMessagesTest has their errors); DISTINCT inside one is not.
    KilnException e = fails("SELECT c_id, count(DISTINCT c_nation) OVER (ORDER BY c_id) FROM cust");
    assertKind(KilnException.Kind.UNSUPPORTED, e);
    assertContains(e, "DISTINCT in a window function", "OVER");
  }

  // ---- files ----

  @Test
  void missingParquetFileIsAnIoErrorNamingThePath() {
    Path missing = dir.resolve("nowhere").resolve("lineitem.parquet");
    try (Kiln kiln = t.session()) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("li", missing));
      assertKind(KilnException.Kind.IO, e);
      assertContains(e, missing.toString(), "does not exist");
      // nothing half-registered
      KilnException q = assertThrows(KilnException.class, () -> kiln.execute("SELECT * FROM li"));
      assertKind(KilnException.Kind.BINDING, q);
    }
  }

  @Test
  void corruptParquetFileIsAnIoErrorNamingThePath() throws Exception {
    Path bad = dir.resolve("x.parquet");
    byte[] garbage = new byte[4096];
    new java.util.Random(42).nextBytes(garbage);
    Files.write(bad, garbage);
    try (Kiln kiln = t.session()) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("x", bad));
      assertKind(KilnException.Kind.IO, e);
      assertContains(e, bad.toString());
    }
  }

  @Test
  void parquetMagicWithGarbageFooterIsAnIoError() throws Exception {
    // looks like parquet at both ends, but the footer length points at nonsense
    Path bad = dir.resolve("y.parquet");
    byte[] b = new byte[64];
    byte[] magic = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, b, 0, 4);
    System.arraycopy(magic, 0, b, 60, 4);
    b[56] = 40; // footer length 40: bytes 16..55, all zero
    Files.write(bad, b);
    try (Kiln kiln = t.session()) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerParquet("y", bad));
      assertKind(KilnException.Kind.IO, e);
      assertContains(e, bad.toString());
    }
  }

  @Test
  void csvWithABadValueNamesFileLineAndColumn() throws Exception {
    // the first 1000 rows make the column an integer; row 1201 (line 1202) is not one
    StringBuilder sb = new StringBuilder("id,qty\n");
    for (int i = 1; i <= 1500; i++) {
      sb.append(i).append(',').append(i == 1201 ? "12x" : String.valueOf(i * 2)).append('\n');
    }
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, sb.toString());
    KilnException e = fails(k -> k.registerCsv("bad", csv), "SELECT sum(qty) FROM bad");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, csv.toString(), "line 1202", "qty", "'12x'");
  }

  @Test
  void missingCsvFileIsAnIoError() {
    Path missing = dir.resolve("none.csv");
    try (Kiln kiln = t.session()) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.registerCsv("n", missing));
      assertKind(KilnException.Kind.IO, e);
      assertContains(e, missing.toString());
    }
  }

  // ---- execution ----

  @Test
  void lateralShapesThatCannotBeDecorrelated() {
    KilnException e = fails("SELECT c.c_id, s.v FROM cust c,\n  LATERAL (SELECT v FROM nonull WHERE v < c.c_id ORDER BY v LIMIT 1) s");
    assertKind(KilnException.Kind.UNSUPPORTED, e);
    assertContains(e, "LATERAL subquery", "correlated LIMIT whose correlation is not an equality", "at line 2, column 3");
    e = fails("SELECT c.c_id, s.n FROM cust c, LATERAL (SELECT count(*) AS n FROM nonull WHERE v < c.c_id) s");
    assertContains(e, "LATERAL subquery", "correlation is not an equality", "column 33");
    e = fails("SELECT c.c_id, s.v FROM cust c RIGHT JOIN LATERAL (SELECT v FROM nonull WHERE v = c.c_id) s ON true");
    assertContains(e, "only comma, CROSS, INNER and LEFT JOIN LATERAL", "column 43");
    e = fails("SELECT c.c_id, s.v FROM cust c LEFT JOIN LATERAL (SELECT v + c.c_id AS v FROM nonull WHERE v = c.c_id) s"
        + " ON true");
    assertContains(e, "LEFT JOIN LATERAL whose select list computes with the left side's columns");
  }

  @Test
  void scalarSubqueryReturningTwoRows() {
    KilnException e = fails("SELECT c_id FROM cust WHERE c_id = (SELECT v FROM nonull)");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, "scalar subquery", "more than one row");
  }

  @Test
  void decimalOverflowIsAnErrorNotAWrongNumber() {
    KilnException e = fails("SELECT CAST(99999999999999999 AS DECIMAL(18,0)) * 1000 FROM nonull");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, "overflow");
  }

  @Test
  void decimalOverflowInAColumnExpression() {
    // 100 * 10^17 does not fit in a long: must fail, not wrap around
    KilnException e = fails("SELECT CAST(o_id AS DECIMAL(18,0)) * 100000000000000000 FROM ord");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, "overflow");
  }

  @Test
  void sumOverflowIsAnErrorButALargeExactSumIsNot() {
    try (Kiln kiln = t.session()) {
      // 4 * 999999999999999999 still fits in a long: exact
      assertEquals(new java.math.BigDecimal("3999999999999999996"),
          kiln.execute("SELECT sum(x) FROM (SELECT CAST(999999999999999999 AS DECIMAL(18,0)) AS x FROM cust) s").get(0, 0));
    }
    // 12 rows (cust x nat) do not
    KilnException e = fails("SELECT sum(x) FROM (SELECT CAST(999999999999999999 AS DECIMAL(18,0)) AS x FROM cust, nat) s");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, "overflow", "sum");
  }

  @Test
  void castOfAWordToIntegerNamesTheValueAndTheType() {
    KilnException e = fails("SELECT CAST('abc' AS INTEGER) FROM nonull");
    assertKind(KilnException.Kind.EXECUTION, e);
    // the user asked for INTEGER: the message should not name an internal wider type
    assertContains(e, "'abc'", "INTEGER");
  }

  @Test
  void castOfAColumnValueToInteger() {
    KilnException e = fails("SELECT CAST(c_name AS INTEGER) FROM cust");
    assertKind(KilnException.Kind.EXECUTION, e);
    assertContains(e, "cannot cast", "INTEGER");
  }

  @Test
  void divisionByZeroIsNull() {
    try (Kiln kiln = t.session()) {
      Result r = kiln.execute("SELECT 1 / 0, 1.5 / 0, 5 % 0, CAST(7.5 AS DECIMAL(5,1)) % 0, 2.0 / 0.0 FROM nonull");
      for (List<Object> row : r.rowLists()) {
        for (Object v : row) {
          assertNull(v, r.rowLists().toString());
        }
      }
      // per row: only the zero divisor gives NULL
      Result cols = kiln.execute("SELECT c_id, 12 / (c_id - 2), 12 % (c_id - 2) FROM cust ORDER BY c_id");
      assertEquals("[[1, -12.0, 0], [2, null, null], [3, 12.0, 0], [4, 6.0, 0]]", cols.rowLists().toString());
    }
  }

  /** 300 000 rows of (BIGINT, VARCHAR): about 8 MiB once copied into a query, far over 1 MiB. */
  private static MemoryTable bigTable(RootAllocator mem) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      rows.add(new Object[] {i * 7919L % 300_000, "row-" + i});
    }
    return MemoryTable.fromRows(schema(col("k", DataType.BIGINT), col("s", DataType.VARCHAR)), rows, mem);
  }

  /** Runs the SQL with a 1 MiB limit; returns the error and, separately, what closing the session threw. */
  private static Throwable[] overLimit(String sql) {
    try (RootAllocator mem = new RootAllocator(); MemoryTable big = bigTable(mem)) {
      Kiln kiln = Kiln.builder().threads(2).memoryLimit(1 << 20).build();
      Throwable error = null;
      Throwable closing = null;
      try {
        kiln.registerTable("big", big);
        kiln.execute(sql);
      } catch (Throwable e) {
        error = e;
      } finally {
        try {
          kiln.close();
        } catch (Throwable c) {
          closing = c;
        }
      }
      return new Throwable[] {error, closing};
    }
  }

  @Test
  void memoryLimitInOrderByIsAResourceErrorNamingAnOperator() {
    Throwable e = overLimit("SELECT k, s FROM big ORDER BY k")[0];
    assertEquals(KilnException.class, e == null ? null : e.getClass(), String.valueOf(e));
    KilnException k = (KilnException) e;
    assertKind(KilnException.Kind.RESOURCE, k);
    assertContains(k, "memory limit");
    // which operator ran out: the sort or the scan feeding it
    assertTrue(k.getMessage().matches("(?s).*\\b(Sort|Scan|TopN)\\b.*"), k.getMessage());
  }

  @Test
  void sessionClosesWithoutLeakAfterOrderByRanOutOfMemory() {
    Throwable[] r = overLimit("SELECT k, s FROM big ORDER BY k");
    assertTrue(r[0] instanceof KilnException, String.valueOf(r[0]));
    assertNull(r[1], "Kiln.close() after the memory error: " + r[1]);
  }

  @Test
  void memoryLimitInGroupByIsAKilnResourceError() {
    Throwable[] r = overLimit("SELECT k, count(*) FROM big GROUP BY k");
    assertEquals(KilnException.class, r[0] == null ? null : r[0].getClass(), String.valueOf(r[0]));
    assertKind(KilnException.Kind.RESOURCE, (KilnException) r[0]);
    assertNull(r[1], "Kiln.close() after the memory error: " + r[1]);
  }

  @Test
  void smallQueryStillRunsAfterOneRanOutOfMemory() {
    try (RootAllocator mem = new RootAllocator(); MemoryTable big = bigTable(mem)) {
      Kiln kiln = Kiln.builder().threads(2).memoryLimit(1 << 20).build();
      try {
        kiln.registerTable("big", big);
        assertThrows(KilnException.class, () -> kiln.execute("SELECT k FROM big"));
        // the failed query must have given back its share of the limit
        assertEquals(1, kiln.execute("SELECT k FROM big LIMIT 1").rowCount());
      } finally {
        kiln.close();
      }
    }
  }

  @Test
  void noStatementIsASyntaxError() {
    KilnException e = fails(";");
    assertTrue(e.kind() == KilnException.Kind.SYNTAX, e.getMessage());
  }

  @Test
  void errorsAreNeverRawJavaExceptions() {
    // a grab bag of mistakes: each must surface as a KilnException, never NPE / IOOBE / ClassCast
    String[] bad = {
      "SELECT FROM",
      "SELECT c_id FROM cust GROUP BY 5",
      "SELECT c_id FROM cust ORDER BY 3",
      "SELECT * FROM cust LIMIT -1",
      "SELECT substring(c_name, 'x') FROM cust",
      "SELECT c_id FROM cust WHERE c_id IN (SELECT c_id, c_name FROM cust)",
      "SELECT (SELECT c_id, c_name FROM cust) FROM cust",
      "SELECT c_id FROM cust WHERE c_name",
      "SELECT x.c_id FROM cust",
      "SELECT sum(c_name) FROM cust",
      "SELECT * FROM cust c1 JOIN cust c2 USING (nope)",
      "SELECT c_id FROM cust UNION ALL SELECT o_id, o_cust FROM ord",
    };
    for (String sql : bad) {
      try (Kiln kiln = t.session()) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> kiln.execute(sql), sql);
        assertEquals(KilnException.class, e.getClass(), sql + " -> " + e);
      }
    }
  }
}
