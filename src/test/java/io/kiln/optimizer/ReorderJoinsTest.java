package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.names;
import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.rows;
import static io.kiln.testing.TinyTables.sortedRows;
import static io.kiln.testing.TinyTables.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.testing.TinyTables;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReorderJoinsTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  /** As the optimizer runs it: predicates first become join conditions, then joins are reordered. */
  private static LogicalPlan reorder(String sql) {
    LogicalPlan in = new PushDownPredicates().apply(t.plan(sql));
    LogicalPlan out = new ReorderJoins().apply(in);
    assertEquals(in.output(), out.output(), "reordering must keep the output columns and their order");
    return out;
  }

  private static Set<String> tables(LogicalPlan p) {
    return nodes(p, Scan.class).stream().map(Scan::tableName).collect(Collectors.toSet());
  }

  @Test
  void crossProductWrittenFirstIsReplacedByConnectedJoins() {
    // bound as (ord x nat) x cust: ord and nat share no predicate
    String sql = "SELECT c_name, n_name, o_id FROM ord, nat, cust WHERE o_cust = c_id AND c_nation = n_id";
    LogicalPlan before = new PushDownPredicates().apply(t.plan(sql));
    assertTrue(nodes(before, Join.class).stream().anyMatch(j -> j.condition() == null),
        "the fixture must start with a cross product: " + before.explain());
    LogicalPlan out = reorder(sql);
    List<Join> joins = nodes(out, Join.class);
    assertEquals(2, joins.size());
    for (Join j : joins) {
      assertEquals(JoinType.INNER, j.type());
      assertNotNull(j.condition(), "no condition-less join where a predicate links the parts: " + out.explain());
    }
    assertEquals(rows("[ann, fr, 100]", "[ann, fr, 101]", "[bob, de, 102]"), sortedRows(t.run(sql)));
  }

  @Test
  void everyPredicateIsUsedExactlyOnce() {
    String sql = "SELECT * FROM ord, nat, cust WHERE o_cust = c_id AND c_nation = n_id";
    LogicalPlan out = reorder(sql);
    List<String> conds = nodes(out, Join.class).stream()
        .flatMap(j -> Exprs.conjuncts(j.condition()).stream()).map(e -> text(e)).sorted().toList();
    assertEquals(List.of("(c_nation = n_id)", "(o_cust = c_id)"), conds);
  }

  @Test
  void selectStarKeepsTheWrittenColumnOrder() {
    String sql = "SELECT * FROM ord, nat, cust WHERE o_cust = c_id AND c_nation = n_id";
    assertEquals(List.of("o_id", "o_cust", "o_total", "o_date", "n_id", "n_name", "c_id", "c_name", "c_nation"),
        names(reorder(sql).output()));
    assertEquals(rows("[100, 1, 10.00, 1998-08-01, 10, fr, 1, ann, 10]", "[101, 1, 25.50, 1998-09-15, 10, fr, 1, ann, 10]",
        "[102, 2, 7.25, 1998-12-01, 20, de, 2, bob, 20]"), sortedRows(t.run(sql)));
  }

  @Test
  void unrelatedTablesStillJoinAsACrossProduct() {
    String sql = "SELECT c_id, n_id FROM cust, nat WHERE c_id < 3 AND n_id > 10";
    LogicalPlan out = reorder(sql);
    List<Join> joins = nodes(out, Join.class);
    assertEquals(1, joins.size());
    assertNull(joins.get(0).condition());
    assertEquals(rows("[1, 20]", "[1, 30]", "[2, 20]", "[2, 30]"), sortedRows(t.run(sql)));
  }

  @Test
  void singleSideConditionsInOnAreKeptAsAFilter() {
    // without pushdown first, the rule itself must not lose the c_nation conjunct
    String sql = "SELECT c_id, o_id FROM cust JOIN ord ON c_id = o_cust AND c_nation = 10";
    LogicalPlan out = new ReorderJoins().apply(t.plan(sql));
    Join j = nodes(out, Join.class).get(0);
    assertEquals("(c_id = o_cust)", text(j.condition()));
    boolean kept = nodes(out, Filter.class).stream().anyMatch(f -> text(f.condition()).contains("c_nation = 10"));
    assertTrue(kept, out.explain());
    assertEquals(rows("[1, 100]", "[1, 101]"), sortedRows(t.run(t.plan(sql))));
  }

  @Test
  void outerJoinIsNotReorderedAcross() {
    String sql = "SELECT n_name, c_id, o_id FROM nat, cust LEFT JOIN ord ON c_id = o_cust WHERE c_nation = n_id";
    LogicalPlan out = reorder(sql);
    List<Join> left = nodes(out, Join.class).stream().filter(j -> j.type() == JoinType.LEFT).toList();
    assertEquals(1, left.size(), out.explain());
    assertEquals(Set.of("ord"), tables(left.get(0).right()), "ord stays the null-supplying side");
    assertEquals(Set.of("nat", "cust"), tables(left.get(0).left()));
    assertEquals(rows("[de, 2, 102]", "[fr, 1, 100]", "[fr, 1, 101]", "[fr, 4, null]"), sortedRows(t.run(sql)));
  }

  @Test
  void selfJoinKeepsBothInstancesApart() {
    String sql = "SELECT a.o_id, b.o_id FROM ord a, ord b, cust WHERE a.o_cust = c_id AND b.o_cust = c_id AND a.o_id < b.o_id";
    LogicalPlan out = reorder(sql);
    for (Join j : nodes(out, Join.class)) {
      assertNotNull(j.condition(), out.explain());
    }
    assertEquals(rows("[100, 101]"), sortedRows(t.run(sql)));
  }

  @Test
  void fourTablesInAChainHaveNoCrossProduct() {
    // nat - cust - ord - ord2, written in an order where neighbours in the text are unrelated
    String sql = "SELECT n_name, o2.o_id FROM nat, ord o2, cust, ord o1 "
        + "WHERE c_nation = n_id AND o1.o_cust = c_id AND o2.o_id = o1.o_id + 1";
    LogicalPlan out = reorder(sql);
    List<Join> joins = nodes(out, Join.class);
    assertEquals(3, joins.size());
    for (Join j : joins) {
      assertNotNull(j.condition(), out.explain());
    }
    // o1 in {100, 101} (cust 1, fr) and 102 (cust 2, de): their successors 101, 102, 103
    assertEquals(rows("[de, 103]", "[fr, 101]", "[fr, 102]"), sortedRows(t.run(sql)));
  }
}
