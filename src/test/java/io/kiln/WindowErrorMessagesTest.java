package io.kiln;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.testing.TinyTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Window functions where SQL does not allow them, and frames that make no sense: each a binding
 * error that says what is wrong and where, after which the session still works and closes without
 * leaking Arrow memory.
 */
class WindowErrorMessagesTest {
  private static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static KilnException fails(String sql) {
    Kiln kiln = t.session();
    try {
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute(sql), sql);
      assertEquals(2L, ((Number) kiln.execute("SELECT count(*) FROM nonull").get(0, 0)).longValue());
      return e;
    } finally {
      assertDoesNotThrow(kiln::close, "closing after an error must not find leaked memory");
    }
  }

  private static void assertBinding(KilnException e, String... parts) {
    assertEquals(KilnException.Kind.BINDING, e.kind(), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void windowInWhereNamesThePlaceAndQualify() {
    assertBinding(fails("SELECT c_id FROM cust\nWHERE rank() OVER (ORDER BY c_id) = 1"),
        "window function rank is not allowed in WHERE", "QUALIFY", "line 2, column 14");
  }

  @Test
  void windowInGroupBy() {
    assertBinding(fails("SELECT count(*) FROM cust GROUP BY row_number() OVER (ORDER BY c_id)"),
        "window function row_number is not allowed in GROUP BY", "line 1, column 49");
  }

  @Test
  void windowInHaving() {
    assertBinding(fails("SELECT c_nation FROM cust GROUP BY c_nation HAVING rank() OVER (ORDER BY c_nation) = 1"),
        "not allowed in HAVING", "QUALIFY");
  }

  @Test
  void windowInsideAnAggregateOrAnotherWindow() {
    assertBinding(fails("SELECT sum(row_number() OVER (ORDER BY c_id)) FROM cust"),
        "not allowed inside an aggregate function");
    assertBinding(fails("SELECT sum(rank() OVER (ORDER BY c_id)) OVER () FROM cust"),
        "not allowed inside another window function");
  }

  @Test
  void windowInAJoinCondition() {
    assertBinding(fails("SELECT * FROM cust JOIN nat ON n_id = rank() OVER (ORDER BY c_id)"),
        "not allowed in a JOIN condition");
  }

  @Test
  void frameThatStartsAfterItEnds() {
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING) FROM cust"),
        "starts after it ends", "1 FOLLOWING to 1 PRECEDING", "line 1, column 38");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN 2 PRECEDING AND 3 PRECEDING) FROM cust"),
        "starts after it ends");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id RANGE BETWEEN CURRENT ROW AND 2 PRECEDING) FROM cust"),
        "starts after it ends");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM cust"),
        "cannot start at UNBOUNDED FOLLOWING");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING) FROM cust"),
        "cannot end at UNBOUNDED PRECEDING");
  }

  @Test
  void negativeOrNonConstantFrameOffsets() {
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM cust"),
        "must not be negative", "-1");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS BETWEEN c_id PRECEDING AND CURRENT ROW) FROM cust"),
        "must be a constant");
    assertBinding(fails("SELECT sum(c_id) OVER (ORDER BY c_id ROWS 1.5 PRECEDING) FROM cust"), "counts rows");
  }

  @Test
  void rangeOffsetsNeedOneNumericOrDateOrderKey() {
    assertBinding(fails("SELECT count(*) OVER (ORDER BY c_id, c_nation RANGE 1 PRECEDING) FROM cust"),
        "exactly one ORDER BY key");
    assertBinding(fails("SELECT count(*) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM cust"),
        "exactly one ORDER BY key");
    assertBinding(fails("SELECT count(*) OVER (ORDER BY c_name RANGE 1 PRECEDING) FROM cust"),
        "numeric (or date) ORDER BY key");
    assertBinding(fails("SELECT count(*) OVER (ORDER BY o_total RANGE 0.125 PRECEDING) FROM ord"),
        "at most the ORDER BY key's 2 decimal places");
  }

  @Test
  void badFunctionArguments() {
    assertBinding(fails("SELECT ntile(0) OVER (ORDER BY c_id) FROM cust"), "positive number of buckets");
    assertBinding(fails("SELECT ntile(c_id) OVER (ORDER BY c_id) FROM cust"), "ntile needs a constant integer");
    assertBinding(fails("SELECT nth_value(c_id, 0) OVER (ORDER BY c_id) FROM cust"), "counts rows from 1");
    assertBinding(fails("SELECT lag(c_id, c_nation) OVER (ORDER BY c_id) FROM cust"), "lag needs a constant integer");
    assertBinding(fails("SELECT lead(c_id, -2) OVER (ORDER BY c_id) FROM cust"), "must not be negative");
    assertBinding(fails("SELECT rank(c_id) OVER (ORDER BY c_id) FROM cust"), "rank takes no arguments");
    assertBinding(fails("SELECT sum(c_id IGNORE NULLS) OVER (ORDER BY c_id) FROM cust"), "IGNORE NULLS is only for");
  }

  @Test
  void unknownNamedWindow() {
    assertBinding(fails("SELECT sum(c_id) OVER w FROM cust WINDOW v AS (ORDER BY c_id)"), "unknown window w",
        "WINDOW w AS");
  }

  @Test
  void unsupportedWindowFunctionIsNamed() {
    KilnException e = fails("SELECT mode(c_id) OVER () FROM cust");
    assertEquals(KilnException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("window function mode"), e.getMessage());
  }
}
