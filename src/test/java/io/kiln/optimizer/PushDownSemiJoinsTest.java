package io.kiln.optimizer;

import static io.kiln.testing.TinyTables.col;
import static io.kiln.testing.TinyTables.nodes;
import static io.kiln.testing.TinyTables.row;
import static io.kiln.testing.TinyTables.schema;
import static io.kiln.testing.TinyTables.sortedRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushDownSemiJoinsTest {
  static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
    // a key join whose estimate is its inputs' size, as TPC-H's orders-lineitem join at SF 10 is
    t.add("a", schema(col("k", DataType.INTEGER), col("x", DataType.INTEGER)), row(1, 10), row(2, 20), row(3, 30),
        row(4, 40));
    t.add("b", schema(col("k", DataType.INTEGER), col("y", DataType.INTEGER)), row(1, 100), row(2, 200), row(3, 300),
        row(4, 400));
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static LogicalPlan optimize(String sql) {
    LogicalPlan p = new DecorrelateSubqueries().apply(t.plan(sql));
    p = new PushDownPredicates().apply(p);
    return new PushDownSemiJoins().apply(p);
  }

  @Test
  void aSemiJoinGoesBelowAnInnerJoinWhoseSideIsNoLargerThanTheJoin() {
    String sql = "SELECT a.x, b.y FROM a JOIN b ON a.k = b.k WHERE a.k IN (SELECT v FROM nonull)";
    List<Join> semis = nodes(optimize(sql), Join.class).stream().filter(j -> j.type() == JoinType.SEMI).toList();
    assertEquals(1, semis.size());
    Scan probed = assertInstanceOf(Scan.class, semis.get(0).left(), "the semi join filters a before the join");
    assertEquals("a", probed.tableName());
    assertEquals(List.of("[10, 100]", "[20, 200]"), sortedRows(t.run(sql)));
  }
}
