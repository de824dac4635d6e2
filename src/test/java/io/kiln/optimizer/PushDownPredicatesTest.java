package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.rows;
import static io.kiln.testing.TinyTables.scan;
import static io.kiln.testing.TinyTables.sortedRows;
import static io.kiln.testing.TinyTables.text;
import static io.kiln.testing.TinyTables.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.logical.Aggregate;
import io.kiln.logical.Expr;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.testing.TinyTables;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushDownPredicatesTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static LogicalPlan push(String sql) {
    LogicalPlan in = t.plan(sql);
    LogicalPlan out = new PushDownPredicates().apply(in);
    assertEquals(in.output(), out.output(), "pushing predicates must not change the output columns");
    return out;
  }

  private static Join onlyJoin(LogicalPlan plan) {
    List<Join> joins = nodes(plan, Join.class);
    assertEquals(1, joins.size(), plan.explain());
    return joins.get(0);
  }

  /** WHERE conditions as they end up in a Filter node (not in scans or joins). */
  private static List<String> filterTexts(LogicalPlan plan) {
    return nodes(plan, Filter.class).stream().map(f -> text(f.condition())).toList();
  }

  @Test
  void singleTableConjunctEndsInTheScan() {
    String sql = "SELECT c_name FROM cust WHERE c_nation = 10";
    LogicalPlan out = push(sql);
    assertEquals(List.of("(c_nation = 10)"), texts(scan(out, "cust").filters()));
    assertEquals(List.of(), filterTexts(out));
    assertEquals(rows("[ann]", "[null]"), sortedRows(t.run(sql)));
  }

  @Test
  void commaJoinWithEqualityBecomesJoinAndEachSideGetsItsFilter() {
    String sql = "SELECT c_name, o_id FROM cust, ord WHERE c_id = o_cust AND c_nation = 10 AND o_total > 5";
    LogicalPlan out = push(sql);
    Join j = onlyJoin(out);
    assertEquals(JoinType.INNER, j.type());
    assertEquals("(c_id = o_cust)", text(j.condition()));
    assertEquals(List.of("(c_nation = 10)"), texts(scan(out, "cust").filters()));
    assertEquals(1, scan(out, "ord").filters().size());
    assertTrue(text(scan(out, "ord").filters().get(0)).contains("o_total"));
    assertEquals(List.of(), filterTexts(out), "no Filter node is left: " + out.explain());
    assertEquals(rows("[ann, 100]", "[ann, 101]"), sortedRows(t.run(sql)));
  }

  @Test
  void factorOrPullsTheCommonJoinKeyOutOfEveryBranch() {
    // TPC-H Q19 shape: the join key is repeated in every OR branch
    String sql = "SELECT c_id, o_id FROM cust, ord WHERE (c_id = o_cust AND c_nation = 10) OR (c_id = o_cust AND o_total > 20)";
    LogicalPlan out = push(sql);
    Join j = onlyJoin(out);
    assertNotNull(j.condition(), "no cross product may remain: " + out.explain());
    assertTrue(io.kiln.logical.Exprs.conjuncts(j.condition()).stream().anyMatch(c -> text(c).equals("(c_id = o_cust)")),
        j.describe());
    // customer 1 (nation 10) with both orders; order 101 also passes o_total > 20
    assertEquals(rows("[1, 100]", "[1, 101]"), sortedRows(t.run(sql)));
  }

  @Test
  void factorOrOnExpressions() {
    Expr bound = nodes(t.plan("SELECT 1 FROM cust WHERE (c_id = 1 AND c_nation = 10) OR (c_nation = 10 AND c_name = 'x')"),
        Filter.class).get(0).condition();
    assertEquals("((c_nation = 10) AND ((c_id = 1) OR (c_name = 'x')))", text(PushDownPredicates.factorOr(bound)));

    // a branch that is only the common part absorbs the others: a OR (a AND b) is a
    Expr absorb = nodes(t.plan("SELECT 1 FROM cust WHERE c_id = 1 OR (c_id = 1 AND c_nation = 10)"),
        Filter.class).get(0).condition();
    assertEquals("(c_id = 1)", text(PushDownPredicates.factorOr(absorb)));

    // nothing in common: the expression is returned as is
    Expr none = nodes(t.plan("SELECT 1 FROM cust WHERE c_id = 1 OR c_nation = 10"), Filter.class).get(0).condition();
    assertSame(none, PushDownPredicates.factorOr(none));

    // three branches: the common part must be in all of them, not just two
    Expr three = nodes(t.plan("SELECT 1 FROM cust WHERE (c_id = 1 AND c_nation = 10) OR (c_id = 1 AND c_name = 'x') "
        + "OR (c_nation = 20)"), Filter.class).get(0).condition();
    assertSame(three, PushDownPredicates.factorOr(three));
  }

  @Test
  void factorOrKeepsResultsWithNulls() {
    // c_nation is NULL for customer 3 and c_name NULL for 4: both OR branches are then NULL or FALSE
    String sql = "SELECT c_id FROM cust WHERE (c_id > 1 AND c_nation = 10) OR (c_id > 1 AND c_name = 'cy')";
    assertEquals(rows("[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void whereOnTheNullSideOfALeftJoinStaysAboveTheJoin() {
    // pushing o_id IS NULL into the ord scan would turn "customers without orders" into all customers
    String sql = "SELECT c_id, o_id FROM cust LEFT JOIN ord ON c_id = o_cust WHERE o_id IS NULL";
    LogicalPlan out = push(sql);
    assertEquals(List.of(), scan(out, "ord").filters());
    assertEquals(List.of("o_id IS NULL"), filterTexts(out));
    assertEquals(rows("[3, null]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void whereOnThePreservedSideOfALeftJoinGoesToItsScan() {
    String sql = "SELECT c_id, o_id FROM cust LEFT JOIN ord ON c_id = o_cust WHERE c_nation = 10";
    LogicalPlan out = push(sql);
    assertEquals(List.of("(c_nation = 10)"), texts(scan(out, "cust").filters()));
    assertEquals(List.of(), filterTexts(out));
    assertEquals(rows("[1, 100]", "[1, 101]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void leftJoinOnConditionOverTheLeftSideStaysInTheCondition() {
    // an ON conjunct over the preserved side decides matching, not which left rows exist
    String sql = "SELECT c_id, o_id FROM cust LEFT JOIN ord ON c_id = o_cust AND c_nation = 20";
    LogicalPlan out = push(sql);
    assertEquals(List.of(), scan(out, "cust").filters());
    assertTrue(text(onlyJoin(out).condition()).contains("c_nation"), onlyJoin(out).describe());
    assertEquals(rows("[1, null]", "[2, 102]", "[3, null]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void leftJoinOnConditionOverTheRightSideGoesToTheRightScan() {
    String sql = "SELECT c_id, o_id FROM cust LEFT JOIN ord ON c_id = o_cust AND o_total > 20";
    LogicalPlan out = push(sql);
    assertEquals(1, scan(out, "ord").filters().size(), out.explain());
    assertEquals("(c_id = o_cust)", text(onlyJoin(out).condition()));
    assertEquals(rows("[1, 101]", "[2, null]", "[3, null]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void fullJoinKeepsWhereAboveTheJoin() {
    String sql = "SELECT c_id, o_id FROM cust FULL JOIN ord ON c_id = o_cust WHERE c_nation = 10";
    LogicalPlan out = push(sql);
    assertEquals(List.of(), scan(out, "cust").filters());
    assertEquals(List.of(), scan(out, "ord").filters());
    assertEquals(List.of("(c_nation = 10)"), filterTexts(out));
    assertEquals(rows("[1, 100]", "[1, 101]", "[4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void rightJoinWhereOnPreservedRightSideGoesDown() {
    String sql = "SELECT c_id, o_id FROM cust RIGHT JOIN ord ON c_id = o_cust WHERE o_id > 101";
    LogicalPlan out = push(sql);
    assertEquals(1, scan(out, "ord").filters().size(), out.explain());
    assertEquals(List.of(), scan(out, "cust").filters());
    assertEquals(rows("[2, 102]", "[null, 103]", "[null, 104]"), sortedRows(t.run(sql)));
  }

  @Test
  void havingOnAGroupKeyGoesBelowTheAggregateButOnAnAggregateStays() {
    String sql = "SELECT c_nation, count(*) FROM cust GROUP BY c_nation HAVING c_nation > 5 AND count(*) > 1";
    LogicalPlan out = push(sql);
    assertEquals(1, scan(out, "cust").filters().size(), out.explain());
    assertTrue(text(scan(out, "cust").filters().get(0)).contains("c_nation"));
    List<String> left = filterTexts(out);
    assertEquals(1, left.size(), out.explain());
    assertTrue(left.get(0).contains("count"), left.get(0));
    // nation 10 has two customers, nation 20 one
    assertEquals(rows("[10, 2]"), sortedRows(t.run(sql)));
  }

  @Test
  void predicateAboveAGlobalAggregateStaysAbove() {
    // no group keys: the aggregate emits a row even for empty input, so nothing may pass below it
    String sql = "SELECT * FROM (SELECT count(*) AS n FROM cust) x WHERE n = 4";
    LogicalPlan out = push(sql);
    assertEquals(List.of(), scan(out, "cust").filters());
    assertEquals(rows("[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void predicateIsNotPushedBelowALimit() {
    String sql = "SELECT * FROM (SELECT c_id FROM cust ORDER BY c_id LIMIT 2) x WHERE c_id > 1";
    LogicalPlan out = push(sql);
    assertEquals(List.of(), scan(out, "cust").filters());
    Limit limit = nodes(out, Limit.class).get(0);
    assertTrue(nodes(limit, Filter.class).isEmpty(), out.explain());
    assertEquals(rows("[2]"), sortedRows(t.run(sql)));
  }

  @Test
  void predicateOnAComputedColumnIsSubstitutedIntoTheScan() {
    String sql = "SELECT * FROM (SELECT o_id, o_total * 2 AS dbl FROM ord) x WHERE dbl > 30";
    LogicalPlan out = push(sql);
    assertEquals(1, scan(out, "ord").filters().size(), out.explain());
    assertTrue(text(scan(out, "ord").filters().get(0)).contains("o_total"));
    assertEquals(rows("[101, 51.00]", "[104, 80.00]"), sortedRows(t.run(sql)));
  }

  @Test
  void predicateGoesIntoEachBranchOfAUnion() {
    String sql = "SELECT * FROM (SELECT c_id AS k FROM cust UNION ALL SELECT o_cust FROM ord) u WHERE k = 1";
    LogicalPlan out = push(sql);
    assertEquals(1, scan(out, "cust").filters().size(), out.explain());
    assertEquals(1, scan(out, "ord").filters().size(), out.explain());
    assertEquals(rows("[1]", "[1]", "[1]"), sortedRows(t.run(sql)));
  }

  @Test
  void predicateOnTheScalarSubqueryValueStaysAboveTheSingleJoin() {
    String sql = "SELECT c_id FROM cust WHERE (SELECT max(o_total) FROM ord WHERE o_cust = c_id) > 10 AND c_nation = 10";
    LogicalPlan out = new PushDownPredicates().apply(new DecorrelateSubqueries().apply(t.plan(sql)));
    Join j = onlyJoin(out);
    assertEquals(JoinType.SINGLE, j.type());
    assertEquals(List.of("(c_nation = 10)"), texts(scan(out, "cust").filters()));
    // the comparison with the subquery's value is not pushed into the (aggregated) right side
    assertTrue(nodes(j.right(), Filter.class).isEmpty() && scan(j.right(), "ord").filters().isEmpty(), out.explain());
    assertEquals(rows("[1]"), sortedRows(t.run(sql)));
  }

  @Test
  void notInMarkConditionIsNotPushed() {
    String sql = "SELECT c_id FROM cust WHERE c_id NOT IN (SELECT v FROM nonull) AND c_nation IS NULL";
    LogicalPlan out = new PushDownPredicates().apply(new DecorrelateSubqueries().apply(t.plan(sql)));
    Join j = onlyJoin(out);
    assertEquals(JoinType.MARK, j.type());
    assertTrue(j.nullAware());
    assertEquals("(c_id = v)", text(j.condition()));
    assertEquals(List.of("c_nation IS NULL"), texts(scan(out, "cust").filters()));
    assertEquals(rows("[3]"), sortedRows(t.run(sql)));
  }

  @Test
  void constantFalsePredicateStillReturnsTheGlobalAggregateRow() {
    String sql = "SELECT count(*) FROM cust WHERE 1 = 0";
    LogicalPlan out = push(sql);
    assertTrue(nodes(out, Aggregate.class).size() == 1);
    assertEquals(rows("[0]"), sortedRows(t.run(sql)));
  }
}
