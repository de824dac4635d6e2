package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.rows;
import static io.kiln.testing.TinyTables.sortedRows;
import static io.kiln.testing.TinyTables.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.logical.Aggregate;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.logical.SubqueryExpr;
import io.kiln.testing.TinyTables;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecorrelateSubqueriesTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static LogicalPlan decorrelate(String sql) {
    LogicalPlan out = new DecorrelateSubqueries().apply(t.plan(sql));
    assertNoSubqueries(out);
    return out;
  }

  /** The executor never sees a SubqueryExpr: the rule must remove all of them. */
  private static void assertNoSubqueries(LogicalPlan plan) {
    for (LogicalPlan p : nodes(plan)) {
      for (Expr e : p.expressions()) {
        assertFalse(Exprs.containsSubquery(e), "subquery left in " + p.describe());
      }
    }
  }

  private static Join onlyJoin(LogicalPlan plan) {
    List<Join> joins = nodes(plan, Join.class);
    assertEquals(1, joins.size(), plan.explain());
    return joins.get(0);
  }

  private static boolean reads(LogicalPlan plan, String table) {
    for (Scan s : nodes(plan, Scan.class)) {
      if (s.tableName().equalsIgnoreCase(table)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void existsBecomesSemiJoinOnTheCorrelation() {
    String sql = "SELECT c_name FROM cust WHERE EXISTS (SELECT * FROM ord WHERE o_cust = c_id)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SEMI, j.type());
    assertEquals("(o_cust = c_id)", text(j.condition()));
    assertTrue(reads(j.left(), "cust") && reads(j.right(), "ord"), j.describe());
    // the subquery side no longer refers to the outer query
    assertTrue(io.kiln.logical.Plans.freeColumns(j.right()).isEmpty());
    assertEquals(rows("[ann]", "[bob]"), sortedRows(t.run(sql)));
  }

  @Test
  void notExistsBecomesAntiJoin() {
    String sql = "SELECT c_id FROM cust WHERE NOT EXISTS (SELECT * FROM ord WHERE o_cust = c_id)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.ANTI, j.type());
    assertEquals("(o_cust = c_id)", text(j.condition()));
    // customer 3 and 4 have no orders; the order with a NULL customer matches nobody
    assertEquals(rows("[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void existsWithExtraNonEqualityCorrelationKeepsBothInTheCondition() {
    String sql = "SELECT c_id FROM cust WHERE EXISTS (SELECT * FROM ord WHERE o_cust = c_id AND o_total > 20)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SEMI, j.type());
    // the uncorrelated o_total > 20 stays inside the subquery, only the correlation is lifted
    assertEquals("(o_cust = c_id)", text(j.condition()));
    assertEquals(rows("[1]"), sortedRows(t.run(sql)));
  }

  @Test
  void inBecomesSemiJoinWithTheEquality() {
    String sql = "SELECT c_id FROM cust WHERE c_nation IN (SELECT n_id FROM nat WHERE n_name <> 'de')";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SEMI, j.type());
    assertEquals("(c_nation = n_id)", text(j.condition()));
    // NULL c_nation is never IN anything
    assertEquals(rows("[1]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void notInBecomesNullAwareMarkJoin() {
    String sql = "SELECT c_id FROM cust WHERE c_id NOT IN (SELECT v FROM nonull)";
    LogicalPlan out = decorrelate(sql);
    Join j = onlyJoin(out);
    assertEquals(JoinType.MARK, j.type());
    assertTrue(j.nullAware(), "NOT IN needs IN's NULL rules");
    assertNotNull(j.mark());
    assertEquals("(c_id = v)", text(j.condition()));
    // a filter above reads NOT mark
    boolean filtersOnNotMark = false;
    for (io.kiln.logical.Filter f : nodes(out, io.kiln.logical.Filter.class)) {
      filtersOnNotMark |= text(f.condition()).equals("NOT " + j.mark().name());
    }
    assertTrue(filtersOnNotMark, out.explain());
    assertEquals(rows("[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void notInOverANullIsNeverTrue() {
    // nums holds 1 and NULL: x NOT IN (1, NULL) is FALSE or NULL for every x
    assertEquals(List.of(), sortedRows(t.run("SELECT c_id FROM cust WHERE c_id NOT IN (SELECT v FROM nums)")));
  }

  @Test
  void notInWithANullNeedle() {
    // NULL NOT IN (1, 2) is NULL, so order 103 (NULL customer) is dropped; 5 is not in the set
    assertEquals(rows("[104]"), sortedRows(t.run("SELECT o_id FROM ord WHERE o_cust NOT IN (SELECT v FROM nonull)")));
    // ... but NULL NOT IN (empty set) is TRUE: every order survives
    assertEquals(rows("[100]", "[101]", "[102]", "[103]", "[104]"),
        sortedRows(t.run("SELECT o_id FROM ord WHERE o_cust NOT IN (SELECT v FROM empty)")));
  }

  @Test
  void inInTheSelectListIsAMarkWithNullRules() {
    String sql = "SELECT c_id, c_id IN (SELECT v FROM nums) FROM cust";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.MARK, j.type());
    assertTrue(j.nullAware());
    // 1 is found; 2, 3, 4 are not, but the set holds NULL, so the answer is NULL
    assertEquals(rows("[1, true]", "[2, null]", "[3, null]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void existsUnderOrBecomesMarkJoin() {
    String sql = "SELECT c_id FROM cust WHERE c_nation = 20 OR EXISTS (SELECT * FROM ord WHERE o_cust = c_id AND o_total > 20)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.MARK, j.type());
    assertFalse(j.nullAware(), "EXISTS is TRUE or FALSE, never NULL");
    assertEquals(rows("[1]", "[2]"), sortedRows(t.run(sql)));
  }

  @Test
  void correlatedScalarSubqueryBecomesSingleJoinOverAggregateGroupedByTheKey() {
    String sql = "SELECT c_id, (SELECT max(o_total) FROM ord WHERE o_cust = c_id) FROM cust";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SINGLE, j.type());
    List<Aggregate> aggs = nodes(j.right(), Aggregate.class);
    assertEquals(1, aggs.size());
    Aggregate a = aggs.get(0);
    assertEquals(1, a.groupKeys().size());
    assertEquals("o_cust", text(a.groupKeys().get(0)));
    // the join compares the outer key with the aggregate's group output
    ColumnRef keyOut = a.groupOutputs().get(0);
    assertTrue(Exprs.columns(j.condition()).contains(keyOut), j.describe());
    assertEquals("(c_id = o_cust)", text(j.condition()));
    assertEquals(rows("[1, 25.50]", "[2, 7.25]", "[3, null]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void correlatedScalarSubqueryInWhere() {
    String sql = "SELECT o_id FROM ord o1 WHERE o_total > (SELECT avg(o_total) FROM ord o2 WHERE o2.o_cust = o1.o_cust)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SINGLE, j.type());
    // customer 1 averages 17.75: only order 101 is above its customer's average
    assertEquals(rows("[101]"), sortedRows(t.run(sql)));
  }

  @Test
  void uncorrelatedScalarSubqueryIsSingleJoinWithoutCondition() {
    String sql = "SELECT c_id FROM cust WHERE c_id > (SELECT min(v) FROM nonull)";
    Join j = onlyJoin(decorrelate(sql));
    assertEquals(JoinType.SINGLE, j.type());
    assertNull(j.condition());
    assertEquals(rows("[2]", "[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void correlatedCountIsRejectedOrCountsZero() {
    // count over no rows is 0, not NULL: a plain SINGLE join would give NULL for customers 3 and 4.
    String sql = "SELECT c_id, (SELECT count(*) FROM ord WHERE o_cust = c_id) FROM cust";
    try {
      Result r = t.run(sql);
      assertEquals(rows("[1, 2]", "[2, 1]", "[3, 0]", "[4, 0]"), sortedRows(r));
    } catch (KilnException e) {
      assertEquals(KilnException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
    }
  }

  @Test
  void nestedSubqueriesAreAllRemoved() {
    String sql = "SELECT c_id FROM cust WHERE EXISTS (SELECT * FROM ord WHERE o_cust = c_id "
        + "AND o_total > (SELECT min(o_total) FROM ord))";
    LogicalPlan out = decorrelate(sql);
    List<JoinType> types = nodes(out, Join.class).stream().map(Join::type).toList();
    assertTrue(types.contains(JoinType.SEMI) && types.contains(JoinType.SINGLE), out.explain());
    // min is 3.00: every order of customers 1 and 2 is above it
    assertEquals(rows("[1]", "[2]"), sortedRows(t.run(sql)));
  }

  @Test
  void planWithoutSubqueriesIsLeftAlone() {
    LogicalPlan in = t.plan("SELECT c_id FROM cust WHERE c_nation = 10");
    assertEquals(in.explain(), new DecorrelateSubqueries().apply(in).explain());
  }

  @Test
  void outputColumnsAreKept() {
    LogicalPlan in = t.plan("SELECT c_id, c_name FROM cust WHERE c_id NOT IN (SELECT v FROM nonull)");
    assertEquals(in.output(), new DecorrelateSubqueries().apply(in).output());
  }

  @Test
  void scalarSubqueryWithTwoRowsFailsAtRunTime() {
    KilnException e = assertThrows(KilnException.class,
        () -> t.run("SELECT c_id, (SELECT v FROM nonull) FROM cust"));
    assertEquals(KilnException.Kind.EXECUTION, e.kind());
    assertTrue(e.getMessage().contains("more than one row"), e.getMessage());
  }

  @Test
  void subqueryExprIsGoneEvenInsideCase() {
    String sql = "SELECT c_id, CASE WHEN EXISTS (SELECT * FROM ord WHERE o_cust = c_id) THEN 'y' ELSE 'n' END FROM cust";
    LogicalPlan out = decorrelate(sql);
    assertEquals(JoinType.MARK, onlyJoin(out).type());
    assertEquals(rows("[1, y]", "[2, y]", "[3, n]", "[4, n]"), sortedRows(t.run(sql)));
  }

  @Test
  void boundPlanReallyHadSubqueries() {
    // guards the fixture: without SubqueryExpr in the bound plan the tests above prove nothing
    LogicalPlan in = t.plan("SELECT c_id FROM cust WHERE EXISTS (SELECT * FROM ord WHERE o_cust = c_id)");
    boolean found = false;
    for (LogicalPlan p : nodes(in)) {
      for (Expr e : p.expressions()) {
        found |= e instanceof SubqueryExpr || Exprs.containsSubquery(e);
      }
    }
    assertTrue(found);
  }
}
