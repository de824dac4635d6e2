package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the shipped .result files and the printed-precision comparison rules. */
class TpchAnswersParsingTest {
  @Test
  void everyShippedAnswerParses() {
    for (int q : TpchQueries.all()) {
      TpchAnswers.Expected expected = TpchAnswers.expected(q);
      assertFalse(expected.rows().isEmpty(), "q" + q);
      assertFalse(expected.ignoreOrder(), "q" + q);
    }
    assertEquals(4, TpchAnswers.expected(1).rows().size());
  }

  @Test
  void trailingDelimiterAndIgnoreOrder() {
    TpchAnswers.Expected e = TpchAnswers.parse("-- delimiter: |; ignoreOrder: true;\na|1|\nb|2\n");
    assertTrue(e.ignoreOrder());
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"b", 2L});
    rows.add(new Object[] {"a", 1});
    assertEquals(List.of(), TpchAnswers.compare("t", e, List.of("s", "n"), rows));
    rows.set(0, new Object[] {"b", 3L});
    assertEquals(2, TpchAnswers.compare("t", e, List.of("s", "n"), rows).size());
  }

  @Test
  void numbersCompareAtPrintedPrecision() {
    assertTrue(TpchAnswers.valueMatches("25.58", new BigDecimal("25.5775")));
    assertTrue(TpchAnswers.valueMatches("25.58", 25.575));
    assertFalse(TpchAnswers.valueMatches("25.58", 25.5649));
    assertTrue(TpchAnswers.valueMatches("380456", new BigDecimal("380456.00")));
    assertFalse(TpchAnswers.valueMatches("380456", new BigDecimal("380457.00")));
    assertFalse(TpchAnswers.valueMatches("25.58", new BigDecimal("26")));
    // Kiln's decimal division at scale 6 against a printed double.
    assertTrue(TpchAnswers.valueMatches("15.4865458122841", new BigDecimal("15.486546")));
    assertFalse(TpchAnswers.valueMatches("15.4865458122841", new BigDecimal("15.486646")));
    // A long sum within relative 1e-6.
    assertTrue(TpchAnswers.valueMatches("526165934.000839", 526165934.0003));
    assertFalse(TpchAnswers.valueMatches("526165934.000839", 526166934.0));
  }

  @Test
  void otherTypes() {
    assertTrue(TpchAnswers.valueMatches("1995-03-11", LocalDate.of(1995, 3, 11)));
    assertFalse(TpchAnswers.valueMatches("1995-03-11", LocalDate.of(1995, 3, 12)));
    assertTrue(TpchAnswers.valueMatches("null", null));
    assertFalse(TpchAnswers.valueMatches("0", null));
    assertTrue(TpchAnswers.valueMatches("Supplier#000000013 ", "Supplier#000000013"));
    assertFalse(TpchAnswers.valueMatches("Supplier#000000013", "Supplier#000000014"));
  }
}
