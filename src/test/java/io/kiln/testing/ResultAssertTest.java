package io.kiln.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The comparison rules the differential and TPC-H suites rely on. */
class ResultAssertTest {
  private static final List<String> ONE = List.of("c");

  private static List<Object[]> rows(Object... values) {
    List<Object[]> out = new ArrayList<>();
    for (Object v : values) {
      out.add(new Object[] {v});
    }
    return out;
  }

  @Test
  void numbersCompareAcrossJavaTypes() {
    assertTrue(ResultAssert.sameValue(3L, 3));
    assertTrue(ResultAssert.sameValue(new BigDecimal("2.50"), 2.5d));
    assertTrue(ResultAssert.sameValue((byte) 7, new BigDecimal("7")));
    assertFalse(ResultAssert.sameValue(3L, 4L));
    assertFalse(ResultAssert.sameValue(new BigDecimal("2.51"), 2.5d));
  }

  @Test
  void decimalMayBeRoundedToItsScale() {
    // A DECIMAL avg at scale 6 against DuckDB's double.
    assertTrue(ResultAssert.sameValue(new BigDecimal("0.333333"), 1.0 / 3));
    assertFalse(ResultAssert.sameValue(new BigDecimal("0.333334"), 1.0 / 3 - 1e-6));
    // Two exact values get no rounding allowance: a decimal typed at too small a scale is a bug.
    assertFalse(ResultAssert.sameValue(new BigDecimal("12"), new BigDecimal("12.34")));
    assertTrue(ResultAssert.sameValue(new BigDecimal("3.09"), 3.085));
  }

  @Test
  void doublesNeedRelativeAgreement() {
    assertTrue(ResultAssert.sameValue(1e12, 1e12 + 1e-4));
    assertFalse(ResultAssert.sameValue(1.0, 1.0 + 1e-6));
  }

  @Test
  void nullEqualsOnlyNull() {
    assertTrue(ResultAssert.sameValue(null, null));
    assertFalse(ResultAssert.sameValue(null, 0L));
    assertFalse(ResultAssert.sameValue("", null));
    assertFalse(ResultAssert.sameValue("1", 1L));
    assertFalse(ResultAssert.sameValue(LocalDate.of(2020, 1, 1), "2020-01-01"));
  }

  @Test
  void unorderedComparisonIsAMultiset() {
    assertDoesNotThrow(() -> ResultAssert.assertSameRows("q", ONE, rows(2L, null, 1L), rows(1, 2, null), false));
    assertThrows(AssertionFailedError.class,
        () -> ResultAssert.assertSameRows("q", ONE, rows(1L, 1L, 2L), rows(1L, 2L, 2L), false));
  }

  @Test
  void orderedComparisonChecksOrder() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> ResultAssert.assertSameRows("SELECT c FROM x ORDER BY c", ONE, rows(2L, 1L), rows(1L, 2L), true));
    assertTrue(e.getMessage().contains("SELECT c FROM x ORDER BY c"), e.getMessage());
  }

  @Test
  void rowCountDifferenceFails() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> ResultAssert.assertSameRows("q", ONE, rows(1L), rows(1L, 1L), false));
    assertTrue(e.getMessage().contains("Kiln 1, reference 2"), e.getMessage());
  }

  @Test
  void findsOnlyTheOutermostOrderBy() {
    assertTrue(ResultAssert.hasOuterOrderBy("SELECT a FROM t ORDER BY a"));
    assertTrue(ResultAssert.hasOuterOrderBy("SELECT a FROM t UNION SELECT b FROM u order\n by 1"));
    assertFalse(ResultAssert.hasOuterOrderBy("SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 3) x"));
    assertFalse(ResultAssert.hasOuterOrderBy("SELECT 'ORDER BY' FROM t -- ORDER BY a"));
    assertTrue(ResultAssert.hasOuterOrderBy("CREATE VIEW v AS SELECT 1; SELECT a FROM v ORDER BY a;"));
    assertFalse(ResultAssert.hasOuterOrderBy("CREATE VIEW v AS SELECT a FROM t ORDER BY a; SELECT a FROM v"));
  }

  @Test
  void splitsStatementsOutsideLiterals() {
    List<String> parts = SqlScript.splitStatements("SELECT ';' AS a; -- x; y\nSELECT 'it''s;' ; ");
    assertTrue(parts.size() == 2 && parts.get(1).endsWith("\nSELECT 'it''s;'"), parts.toString());
  }
}
