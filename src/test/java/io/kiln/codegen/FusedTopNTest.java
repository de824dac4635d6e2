package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The top-N cut-off fused into generated code: rows that cannot be in an ORDER BY ... LIMIT result
 * are dropped in the row loop, compared with the worker's cut-off row as RowComparator compares.
 * The table is large enough (two workers, more than 65,536 rows each) for cut-offs to be set, with
 * many ties and NULLs in every key kind. Answers are compared in order with interpreted mode.
 *
 * <pre>
 * t(id INTEGER, x INTEGER, d DOUBLE, s VARCHAR, b BOOLEAN, late INTEGER)
 *   300,000 rows; x, d, s, b NULL now and then, late NULL only in every 100th row after row 295,000
 * </pre>
 */
class FusedTopNTest {
  private static TinyTables tables;
  private static Kiln interpreted;
  private static Kiln compiled;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
    List<Object[]> rows = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < 300_000; i++) {
      int r = random.nextInt(4000);
      double d = r % 50 == 0 ? (i % 2 == 0 ? -0.0 : 0.0) : r / 8.0;
      rows.add(new Object[] {i, i % 41 == 0 ? null : r, i % 37 == 0 ? null : d,
          i % 43 == 0 ? null : "s" + random.nextInt(3000), i % 47 == 0 ? null : r % 2 == 0,
          i > 295_000 && i % 100 == 0 ? null : r});
    }
    tables.add("t", TinyTables.schema(TinyTables.col("id", DataType.INTEGER), TinyTables.col("x", DataType.INTEGER),
        TinyTables.col("d", DataType.DOUBLE), TinyTables.col("s", DataType.VARCHAR),
        TinyTables.col("b", DataType.BOOLEAN), TinyTables.col("late", DataType.INTEGER)), rows.toArray(new Object[0][]));
    interpreted = session(ExecutionMode.INTERPRETED);
    compiled = session(ExecutionMode.COMPILED);
  }

  @AfterAll
  static void tearDown() {
    interpreted.close();
    compiled.close();
    tables.close();
  }

  private static Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    return kiln;
  }

  static Stream<String> queries() {
    return Stream.of(
        "SELECT id, x FROM t ORDER BY x DESC, id LIMIT 100",
        "SELECT id, x FROM t ORDER BY x NULLS FIRST, id DESC LIMIT 7",
        "SELECT id, d FROM t ORDER BY d, id LIMIT 50",
        "SELECT id, d FROM t ORDER BY d DESC NULLS LAST, id LIMIT 50 OFFSET 20",
        "SELECT id, s FROM t ORDER BY s DESC, id LIMIT 30",
        "SELECT id, s, b FROM t ORDER BY b NULLS FIRST, s, id LIMIT 30",
        "SELECT id, x, s FROM t WHERE id % 3 <> 0 ORDER BY x, s DESC, id LIMIT 25",
        // Sort keys computed in the loop (a string not in an Arrow buffer among them).
        "SELECT id, x * 2 - id % 5 AS k, upper(s) AS u FROM t ORDER BY k DESC, u, id LIMIT 40",
        "SELECT id, upper(s) AS u FROM t ORDER BY u NULLS FIRST, id DESC LIMIT 40",
        "SELECT id FROM t ORDER BY id LIMIT 1",
        // NULLs arriving after the cut-off is set: first (NULLs only in the last batch) or last (none before it).
        "SELECT id, late FROM t ORDER BY late NULLS FIRST, id LIMIT 60",
        "SELECT id, CASE WHEN id < 290000 THEN NULL ELSE x END AS l2 FROM t ORDER BY l2 DESC NULLS LAST, id LIMIT 60",
        "SELECT id, x FROM t ORDER BY x, id LIMIT 10 OFFSET 100000");
  }

  @ParameterizedTest
  @MethodSource("queries")
  void fusedCutoffGivesTheInterpretersAnswer(String sql) {
    String explain = explain(sql);
    assertTrue(explain.contains("fused: top-N cut-off"), explain);
    assertTrue(explain.contains("only rows sorting before the cut-off row"), explain);
    assertEquals(rows(interpreted, sql), rows(compiled, sql), sql);
    assertEquals(0, compiled.codegenMetrics().fallbacks());
  }

  /** A projection too wide for one method: the cut-off comparison gets a method of its own (split mode). */
  @Test
  void cutoffInSplitMode() {
    StringJoiner cols = new StringJoiner(", ");
    for (int i = 0; i < 300; i++) {
      cols.add("CASE WHEN x > " + i + " THEN id * " + i + " ELSE x - " + i + " END AS c" + i);
    }
    String sql = "SELECT " + cols + " FROM t ORDER BY c7 DESC, c0 LIMIT 20";
    assertTrue(explain(sql).contains("split into one method per step"));
    assertEquals(rows(interpreted, sql), rows(compiled, sql));
  }

  private static List<String> rows(Kiln kiln, String sql) {
    List<String> out = new ArrayList<>();
    for (Object[] r : kiln.execute(sql).rows()) {
      out.add(Arrays.toString(r));
    }
    return out;
  }

  private static String explain(String sql) {
    List<String> lines = new ArrayList<>();
    for (Object[] row : compiled.execute("EXPLAIN CODEGEN " + sql).rows()) {
      lines.add((String) row[0]);
    }
    return String.join("\n", lines);
  }
}
