package io.kiln.physical.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.Modes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A join whose build side turns out empty: an inner join makes nothing, so its probe side is not
 * read at all; joins that keep unmatched probe rows still read it, and rows other joins owe at the
 * end still come.
 */
class EmptyBuildSideTest {
  private static final int ROWS = 5_000;
  /** Matches no row of t: every v is at least 0. */
  private static final String EMPTY = "(SELECT k, v FROM t WHERE v < 0)";

  private static RootAllocator tableMemory;
  private static MemoryTable table;

  @BeforeAll
  static void table() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < ROWS; i++) {
      rows.add(new Object[] {i % 10, i});
    }
    Schema schema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true)),
        Field.nullable("v", new ArrowType.Int(64, true))));
    tableMemory = new RootAllocator();
    table = MemoryTable.fromRows(schema, rows, tableMemory);
  }

  @AfterAll
  static void release() {
    table.close();
    tableMemory.close();
  }

  private static Kiln kiln(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    kiln.registerTable("t", table);
    return kiln;
  }

  private static String row(Kiln kiln, String sql) {
    return Arrays.toString(kiln.execute(sql).rows().get(0));
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void anInnerJoinWithAnEmptyBuildSideDoesNotReadItsProbeSide(ExecutionMode mode) {
    try (Kiln kiln = kiln(mode)) {
      String sql = "SELECT count(*), sum(a.v) FROM t a JOIN " + EMPTY + " b ON a.k = b.k";
      assertEquals("[0, null]", row(kiln, sql));
      List<String> plan = new ArrayList<>();
      for (Object[] line : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
        plan.add((String) line[0]);
      }
      // t is read twice: once for the (empty) build side, and the probe side's scan never runs
      assertEquals(1, plan.stream().filter(l -> l.strip().startsWith("source: Scan t") && l.endsWith("(not run)"))
          .count(), String.join("\n", plan));
      assertTrue(row(kiln, "SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM " + EMPTY + " b WHERE b.k = a.k)")
          .equals("[0]"));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void joinsThatKeepUnmatchedRowsStillReadThem(ExecutionMode mode) {
    try (Kiln kiln = kiln(mode)) {
      assertEquals("[" + ROWS + ", 0]", row(kiln, "SELECT count(*), count(b.v) FROM t a LEFT JOIN " + EMPTY
          + " b ON a.k = b.k"));
      assertEquals("[" + ROWS + "]", row(kiln, "SELECT count(*) FROM t a WHERE NOT EXISTS (SELECT 1 FROM " + EMPTY
          + " b WHERE b.k = a.k)"));
      assertEquals("[" + ROWS + "]", row(kiln, "SELECT count(*) FROM t a WHERE a.k NOT IN (SELECT k FROM " + EMPTY
          + " b)"));
      // the empty inner join makes nothing; the right join above it still owes every row of c
      assertEquals("[" + ROWS + ", 0]", row(kiln, "SELECT count(*), count(x.v) FROM (SELECT a.v FROM t a JOIN " + EMPTY
          + " b ON a.k = b.k) x RIGHT JOIN t c ON x.v = c.v"));
    }
  }
}
