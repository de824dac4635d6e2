package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.rows;
import static io.kiln.testing.TinyTables.sortedRows;
import static io.kiln.testing.TinyTables.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.logical.Call;
import io.kiln.logical.Expr;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FoldConstantsTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static LogicalPlan fold(String sql) {
    return new FoldConstants().apply(t.plan(sql));
  }

  /** The expression computing the first select-list column (the top Project). */
  private static Expr firstSelectExpr(LogicalPlan plan) {
    return nodes(plan, Project.class).get(0).exprs().get(0);
  }

  private static Filter onlyFilter(LogicalPlan plan) {
    List<Filter> filters = nodes(plan, Filter.class);
    assertEquals(1, filters.size(), plan.explain());
    return filters.get(0);
  }

  @Test
  void dateMinusIntervalBecomesADateLiteral() {
    String sql = "SELECT o_id FROM ord WHERE o_date <= DATE '1998-12-01' - INTERVAL '90' DAY";
    Call cmp = (Call) onlyFilter(fold(sql)).condition();
    assertEquals(Function.LE, cmp.function());
    Literal bound = assertInstanceOf(Literal.class, cmp.arg(1), "the right side must be folded");
    assertEquals(DataType.DATE, bound.type());
    assertEquals(LocalDate.of(1998, 9, 2), bound.javaValue());
    // 1998-08-01 is before 1998-09-02; the others are later or NULL
    assertEquals(rows("[100]"), sortedRows(t.run(sql)));
  }

  @Test
  void monthAndYearIntervalsFold() {
    Expr e = firstSelectExpr(fold("SELECT DATE '1994-01-31' + INTERVAL '1' MONTH + INTERVAL '1' YEAR FROM nonull"));
    Literal l = assertInstanceOf(Literal.class, e, e.toString());
    // Jan 31 + 1 month clamps to the last day of February
    assertEquals(LocalDate.of(1995, 2, 28), l.javaValue());
  }

  @Test
  void arithmeticFoldsWithTheCallsType() {
    Expr e = firstSelectExpr(fold("SELECT 1 + 2 * 3 FROM nonull"));
    Literal l = assertInstanceOf(Literal.class, e);
    assertEquals(7L, ((Number) l.value()).longValue());
    assertEquals(t.plan("SELECT 1 + 2 * 3 FROM nonull").output().get(0).type(), l.type(),
        "folding must not change the type");
  }

  @Test
  void decimalArithmeticFoldsExactly() {
    Literal l = assertInstanceOf(Literal.class, firstSelectExpr(fold("SELECT 1.25 * 4 + 0.5 FROM nonull")));
    assertEquals(0, new BigDecimal("5.50").compareTo((BigDecimal) l.javaValue()), String.valueOf(l.javaValue()));
  }

  @Test
  void stringFunctionsFold() {
    Literal l = assertInstanceOf(Literal.class, firstSelectExpr(fold("SELECT upper('ab') || lower('CD') FROM nonull")));
    assertEquals("ABcd", l.value());
  }

  @Test
  void extractFolds() {
    Literal l = assertInstanceOf(Literal.class, firstSelectExpr(fold("SELECT EXTRACT(YEAR FROM DATE '1998-12-01') FROM nonull")));
    assertEquals(1998L, ((Number) l.value()).longValue());
  }

  @Test
  void trueConjunctDisappears() {
    LogicalPlan out = fold("SELECT c_id FROM cust WHERE c_id > 1 AND 1 = 1");
    assertEquals("(c_id > 1)", text(onlyFilter(out).condition()));
  }

  @Test
  void filterThatIsAlwaysTrueIsRemoved() {
    String sql = "SELECT c_id FROM cust WHERE c_id > 1 OR 2 > 1";
    assertEquals(List.of(), nodes(fold(sql), Filter.class));
    assertEquals(rows("[1]", "[2]", "[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void falseConjunctMakesTheFilterFalse() {
    String sql = "SELECT c_id FROM cust WHERE c_id > 1 AND 1 = 2";
    Expr c = onlyFilter(fold(sql)).condition();
    assertEquals(Literal.ofBoolean(false), c);
    assertEquals(List.of(), sortedRows(t.run(sql)));
  }

  @Test
  void falseOrSomethingIsTheSomething() {
    assertEquals("(c_id > 1)", text(onlyFilter(fold("SELECT c_id FROM cust WHERE 1 = 2 OR c_id > 1")).condition()));
  }

  @Test
  void nullAndFalseIsFalseButNullAndTrueStaysNull() {
    // three-valued logic: NULL AND FALSE = FALSE; a NULL comparison keeps the row out either way
    String sql = "SELECT c_id FROM cust WHERE c_name IS NULL AND NULL = 1";
    assertEquals(List.of(), sortedRows(t.run(sql)));
    String sql2 = "SELECT c_id FROM cust WHERE c_name IS NULL OR NULL = 1";
    assertEquals(rows("[4]"), sortedRows(t.run(sql2)));
  }

  @Test
  void divisionByZeroFoldsToNull() {
    Expr e = firstSelectExpr(fold("SELECT 1 / 0 FROM nonull"));
    Literal l = assertInstanceOf(Literal.class, e);
    assertTrue(l.isNull(), "1 / 0 is NULL, as in DuckDB");
    assertEquals(rows("[null]", "[null]"), sortedRows(t.run("SELECT 1 / 0 FROM nonull")));
  }

  @Test
  void failingCastIsLeftForRunTime() {
    // upper(...) keeps the binder from casting the literal itself; folding then meets a cast that
    // fails and must not throw at plan time: the row might never be reached
    String cast = "CAST(upper('abc') AS INTEGER)";
    Expr e = firstSelectExpr(fold("SELECT " + cast + " FROM nonull"));
    Call c = assertInstanceOf(Call.class, e);
    assertEquals(Function.CAST, c.function());
    assertEquals(Literal.class, c.arg(0).getClass(), "the argument itself still folds");
    // unreached: no rows, no error
    assertEquals(List.of(), sortedRows(t.run("SELECT " + cast + " FROM empty")));
    KilnException ex = assertThrows(KilnException.class, () -> t.run("SELECT " + cast + " FROM nonull"));
    assertEquals(KilnException.Kind.EXECUTION, ex.kind());
    assertTrue(ex.getMessage().contains("'ABC'"), ex.getMessage());
  }

  @Test
  void columnsAreNotFolded() {
    Expr e = firstSelectExpr(fold("SELECT c_id + (2 * 3) FROM cust"));
    Call add = assertInstanceOf(Call.class, e);
    assertEquals(Function.ADD, add.function());
    // the constant side is folded even though the whole call is not
    Literal six = assertInstanceOf(Literal.class, add.arg(1));
    assertEquals(6L, ((Number) six.value()).longValue());
    assertEquals(rows("[10]", "[7]", "[8]", "[9]"), sortedRows(t.run("SELECT c_id + (2 * 3) FROM cust")));
  }

  @Test
  void nullLiteralArithmeticIsNull() {
    Literal l = assertInstanceOf(Literal.class, firstSelectExpr(fold("SELECT 1 + NULL FROM nonull")));
    assertNull(l.value());
  }

  @Test
  void foldsInsideJoinConditionsAndAggregates() {
    String sql = "SELECT sum(o_total * (1 + 1)) FROM cust JOIN ord ON c_id = o_cust AND o_total > 2 * 10";
    LogicalPlan out = fold(sql);
    io.kiln.logical.Join j = nodes(out, io.kiln.logical.Join.class).get(0);
    assertTrue(text(j.condition()).contains("20"), j.describe());
    io.kiln.logical.Aggregate a = nodes(out, io.kiln.logical.Aggregate.class).get(0);
    String agg = a.aggregates().get(0).toString();
    assertTrue(!agg.contains("(1 + 1)"), agg);
    // only order 101 (25.50) is above 20: 51.00
    assertEquals(rows("[51.00]"), sortedRows(t.run(sql)));
  }

  @Test
  void idempotent() {
    LogicalPlan once = fold("SELECT c_id + 1 * 2 FROM cust WHERE c_id > 1 + 1");
    assertEquals(once.explain(), new FoldConstants().apply(once).explain());
  }
}
