package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.names;
import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.rows;
import static io.kiln.testing.TinyTables.scan;
import static io.kiln.testing.TinyTables.sortedRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.logical.Aggregate;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Exprs;
import io.kiln.logical.Join;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.testing.TinyTables;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PruneColumnsTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static LogicalPlan prune(LogicalPlan in) {
    LogicalPlan out = new PruneColumns().apply(in);
    assertEquals(in.output(), out.output(), "pruning must not change what the query returns");
    return out;
  }

  private static LogicalPlan prune(String sql) {
    return prune(t.plan(sql));
  }

  private static LogicalPlan pushThenPrune(String sql) {
    return prune(new PushDownPredicates().apply(new DecorrelateSubqueries().apply(t.plan(sql))));
  }

  private static List<String> read(LogicalPlan plan, String table) {
    return names(scan(plan, table).output());
  }

  @Test
  void scanReadsOnlyTheSelectedColumn() {
    LogicalPlan out = prune("SELECT c_name FROM cust");
    assertEquals(List.of("c_name"), read(out, "cust"));
    Scan s = scan(out, "cust");
    // the provider's column positions follow the pruned columns
    assertEquals("[1]", Arrays.toString(s.columnIndexes()));
    assertEquals(rows("[ann]", "[bob]", "[cy]", "[null]"), sortedRows(t.run("SELECT c_name FROM cust")));
  }

  @Test
  void filterColumnsAreStillRead() {
    assertEquals(List.of("c_name", "c_nation"), read(prune("SELECT c_name FROM cust WHERE c_nation = 10"), "cust"));
    // the same once the filter sits in the scan
    assertEquals(List.of("c_name", "c_nation"), read(pushThenPrune("SELECT c_name FROM cust WHERE c_nation = 10"), "cust"));
  }

  @Test
  void joinReadsKeysAndSelectedColumnsOnly() {
    String sql = "SELECT c_name, o_total FROM cust JOIN ord ON c_id = o_cust";
    LogicalPlan out = prune(sql);
    assertEquals(List.of("c_id", "c_name"), read(out, "cust"));
    assertEquals(List.of("o_cust", "o_total"), read(out, "ord"));
    assertEquals(rows("[ann, 10.00]", "[ann, 25.50]", "[bob, 7.25]"), sortedRows(t.run(sql)));
  }

  @Test
  void countStarReadsOneColumnAndCountsEveryRow() {
    LogicalPlan out = prune("SELECT count(*) FROM cust");
    assertEquals(1, scan(out, "cust").output().size(), out.explain());
    // the kept column may hold NULLs: the row count must not depend on them
    assertEquals(rows("[4]"), sortedRows(t.run("SELECT count(*) FROM cust")));
    assertEquals(rows("[2]"), sortedRows(t.run("SELECT count(*) FROM nums")));
  }

  @Test
  void constantSelectStillProducesOneRowPerInputRow() {
    LogicalPlan out = prune("SELECT 1 FROM cust");
    assertEquals(1, scan(out, "cust").output().size());
    assertEquals(rows("[1]", "[1]", "[1]", "[1]"), sortedRows(t.run("SELECT 1 FROM cust")));
  }

  @Test
  void unusedAggregatesAreDroppedButGroupKeysStay() {
    String sql = "SELECT k FROM (SELECT c_nation AS k, sum(c_id) AS s, max(c_name) AS m FROM cust GROUP BY c_nation) x";
    LogicalPlan out = prune(sql);
    Aggregate a = nodes(out, Aggregate.class).get(0);
    assertEquals(List.of(), a.aggregates());
    assertEquals(1, a.groupKeys().size());
    assertEquals(List.of("c_nation"), read(out, "cust"));
    assertEquals(rows("[10]", "[20]", "[null]"), sortedRows(t.run(sql)));
  }

  @Test
  void aggregateArgumentsAreRead() {
    String sql = "SELECT c_nation, sum(c_id) FROM cust GROUP BY c_nation";
    assertEquals(List.of("c_id", "c_nation"), read(prune(sql), "cust"));
    assertEquals(rows("[10, 5]", "[20, 2]", "[null, 3]"), sortedRows(t.run(sql)));
  }

  @Test
  void countOverAPrunedAwayGlobalAggregateIsOne() {
    // the inner aggregate's only output is unused; it still yields exactly one row
    String sql = "SELECT count(*) FROM (SELECT sum(c_id) AS s FROM cust) x";
    prune(sql);
    assertEquals(rows("[1]"), sortedRows(t.run(sql)));
  }

  @Test
  void sortKeyIsReadEvenWhenNotSelected() {
    String sql = "SELECT c_name FROM cust WHERE c_name IS NOT NULL ORDER BY c_id DESC";
    LogicalPlan out = pushThenPrune(sql);
    assertTrue(read(out, "cust").containsAll(List.of("c_id", "c_name")), read(out, "cust").toString());
    assertEquals(List.of(List.of("cy"), List.of("bob"), List.of("ann")), t.run(sql).rowLists());
  }

  @Test
  void unionBranchesArePrunedIndependentlyButKeepTheirColumns() {
    String sql = "SELECT k FROM (SELECT c_id AS k, c_name AS n FROM cust UNION ALL SELECT o_id, 'x' FROM ord) u";
    LogicalPlan out = prune(sql);
    // the union is positional; c_nation is read by nobody
    assertTrue(!read(out, "cust").contains("c_nation"), read(out, "cust").toString());
    assertTrue(!read(out, "ord").contains("o_total"), read(out, "ord").toString());
    assertEquals(rows("[100]", "[101]", "[102]", "[103]", "[104]", "[1]", "[2]", "[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void subqueryJoinsReadOnlyTheirKeys() {
    String sql = "SELECT c_name FROM cust WHERE EXISTS (SELECT * FROM ord WHERE o_cust = c_id)";
    LogicalPlan out = pushThenPrune(sql);
    assertEquals(List.of("o_cust"), read(out, "ord"));
    assertEquals(List.of("c_id", "c_name"), read(out, "cust"));
    assertEquals(rows("[ann]", "[bob]"), sortedRows(t.run(sql)));
  }

  @Test
  void derivedTableColumnsNobodyReadsAreNotComputed() {
    String sql = "SELECT a FROM (SELECT c_id AS a, upper(c_name) AS b, c_nation * 2 AS c FROM cust) x";
    LogicalPlan out = prune(sql);
    assertEquals(List.of("c_id"), read(out, "cust"));
    assertEquals(rows("[1]", "[2]", "[3]", "[4]"), sortedRows(t.run(sql)));
  }

  @Test
  void joinInputsCarryOnlyWhatTheJoinOrItsParentsRead() {
    // Shaped like TPC-H Q3: nat is filtered on a column nobody else reads, and the lower join's
    // keys are read by nothing above it.
    String sql = "SELECT o_id, o_total FROM nat, cust, ord WHERE n_name = 'fr' AND n_id = c_nation AND c_id = o_cust";
    LogicalPlan out = pushThenPrune(sql);
    Join upper = nodes(out, Join.class).get(0);
    Join lower = nodes(out, Join.class).get(1);
    // the lower join's result would go into the upper join's hash table: only the key is left
    assertEquals(List.of("c_id"), names(upper.left().output()), out.explain());
    assertEquals(List.of("o_id", "o_cust", "o_total"), names(upper.right().output()), out.explain());
    // n_name is read by the scan's filter only, so it does not reach the lower join
    assertEquals(List.of("n_id"), names(lower.left().output()), out.explain());
    assertEquals(List.of("c_id", "c_nation"), names(lower.right().output()), out.explain());
    assertEquals(rows("[100, 10.00]", "[101, 25.50]"), sortedRows(t.run(sql)));
  }

  @Test
  void theWholeOptimizerLeavesNoJoinInputWithUnreadColumns() {
    // Same query through every rule, whatever join order it picks: none of these columns is read
    // above the scans' filters or the joins' conditions.
    String sql = "SELECT o_id, o_total FROM nat, cust, ord WHERE n_name = 'fr' AND n_id = c_nation AND c_id = o_cust";
    LogicalPlan out = new Optimizer().optimize(t.plan(sql));
    List<Join> joins = nodes(out, Join.class);
    assertEquals(2, joins.size(), out.explain());
    for (Join j : joins) {
      for (LogicalPlan in : j.inputs()) {
        List<String> carried = names(in.output());
        assertTrue(!carried.contains("n_name") && !carried.contains("c_name") && !carried.contains("o_date"),
            carried + " in\n" + out.explain());
      }
    }
    // into the top join goes only what the query returns and the top join's keys
    Join upper = joins.get(0);
    for (LogicalPlan in : upper.inputs()) {
      for (ColumnRef c : in.output()) {
        boolean returned = List.of("o_id", "o_total").contains(c.name());
        assertTrue(returned || Exprs.columns(upper.condition()).contains(c), c + " carried into\n" + out.explain());
      }
    }
    assertEquals(rows("[100, 10.00]", "[101, 25.50]"), sortedRows(t.run(sql)));
  }

  @Test
  void aColumnOnlyAnUpperJoinsResidualReadsReachesIt() {
    // c_name is read by the upper join's condition only, and not as a key: it must survive the lower join
    String sql = "SELECT n_name, o_id FROM nat JOIN cust ON n_id = c_nation"
        + " JOIN ord ON c_id = o_cust AND (o_total > 20 OR c_name = 'bob')";
    LogicalPlan out = pushThenPrune(sql);
    Join upper = nodes(out, Join.class).get(0);
    assertTrue(Exprs.columns(upper.condition()).stream().anyMatch(c -> c.name().equals("c_name")), out.explain());
    assertTrue(names(upper.left().output()).contains("c_name"), out.explain());
    assertTrue(names(upper.right().output()).contains("o_total"), out.explain());
    assertEquals(rows("[fr, 101]", "[de, 102]"), sortedRows(t.run(sql)));
  }

  @Test
  void aCrossProductSideWithNoColumnReadStillCountsItsRows() {
    // nothing reads a column of nat above its scan's filter, yet each kept row of it multiplies the result
    String sql = "SELECT c_name FROM cust, nat WHERE n_name <> 'it'";
    LogicalPlan out = pushThenPrune(sql);
    assertEquals(1, scan(out, "nat").output().size(), out.explain());
    assertEquals(rows("[ann]", "[ann]", "[bob]", "[bob]", "[cy]", "[cy]", "[null]", "[null]"), sortedRows(t.run(sql)));
    assertEquals(rows("[8]"), sortedRows(t.run("SELECT count(*) FROM cust, nat WHERE n_name <> 'it'")));
  }
}
