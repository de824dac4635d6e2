package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hash join probes fused into generated code: EXPLAIN CODEGEN shows them fused, and every join
 * type gives the interpreter's answers (NULL keys, unique and repeated build keys, residuals, NOT
 * IN's NULL rules, several probes in one loop, more matches than a selection holds, split mode),
 * both as generated for these small build sides (each probe in the loop producing its rows) and
 * as generated for large ones (in phases). The probe table is one batch: the dup joins pass on
 * more rows than it has, so full selections are handed on mid-loop.
 *
 * <pre>
 * probe(p_id INTEGER, p_key INTEGER, p_name VARCHAR, p_x DOUBLE)  3,000 rows; p_key 0..239, NULL every 17th row
 * uniq(u_key INTEGER, u_name VARCHAR, u_x DOUBLE)                  u_key 0..149 once each, plus one NULL key
 * dup(d_key INTEGER, d_val INTEGER)                                d_key 100..299 three times each, plus two NULL keys
 * nonull_keys(n_key INTEGER)                                       1..50, no NULLs
 * </pre>
 */
class FusedJoinTest {
  private static TinyTables tables;
  private static Kiln interpreted;
  private static Kiln compiled;
  /** Compiled, probing every build side in phases, as if it were too large for the cache. */
  private static Kiln phased;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
    List<Object[]> probe = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Integer key = i % 17 == 5 ? null : (i * 7) % 240;
      probe.add(new Object[] {i, key, key == null ? null : "name" + (key % 160), key == null ? null : key / 2.0});
    }
    tables.add("probe", schema(col("p_id", DataType.INTEGER), col("p_key", DataType.INTEGER),
        col("p_name", DataType.VARCHAR), col("p_x", DataType.DOUBLE)), probe.toArray(new Object[0][]));
    List<Object[]> uniq = new ArrayList<>();
    for (int k = 0; k < 150; k++) {
      uniq.add(new Object[] {k, "name" + k, k / 2.0});
    }
    uniq.add(new Object[] {null, "nobody", null});
    tables.add("uniq", schema(col("u_key", DataType.INTEGER), col("u_name", DataType.VARCHAR),
        col("u_x", DataType.DOUBLE)), uniq.toArray(new Object[0][]));
    List<Object[]> dup = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int k = 100; k < 300; k++) {
        dup.add(new Object[] {k, k * 10 + r});
      }
    }
    dup.add(new Object[] {null, -1});
    dup.add(new Object[] {null, -2});
    tables.add("dup", schema(col("d_key", DataType.INTEGER), col("d_val", DataType.INTEGER)),
        dup.toArray(new Object[0][]));
    List<Object[]> nonull = new ArrayList<>();
    for (int k = 1; k <= 50; k++) {
      nonull.add(new Object[] {k});
    }
    tables.add("nonull_keys", schema(col("n_key", DataType.INTEGER)), nonull.toArray(new Object[0][]));
    interpreted = session(ExecutionMode.INTERPRETED);
    compiled = session(ExecutionMode.COMPILED);
    phased = session(ExecutionMode.COMPILED);
    phased.compiledPipelines().oneLoopProbeMaxRows(-1);
  }

  @AfterAll
  static void tearDown() {
    interpreted.close();
    compiled.close();
    phased.close();
    tables.close();
  }

  private static Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    return kiln;
  }

  private static Schema schema(Field... fields) {
    return new Schema(List.of(fields));
  }

  private static Field col(String name, DataType type) {
    return TinyTables.col(name, type);
  }

  /** Queries, each with a probe of the named join type (checked in its EXPLAIN CODEGEN). */
  static Stream<String[]> queries() {
    return Stream.of(
        new String[] {"INNER", "SELECT p_id, u_name, u_x FROM probe JOIN uniq ON p_key = u_key"},
        // Three matches per row: the batched aggregation's arrays outgrow the batch, and stay grown.
        new String[] {"INNER", "SELECT d_key % 7, count(*), sum(d_val), sum(p_id) FROM probe JOIN dup "
            + "ON p_key = d_key GROUP BY d_key % 7"},
        new String[] {"INNER", "SELECT p_id, p_name, d_val FROM probe JOIN dup ON p_key = d_key"},
        new String[] {"INNER", "SELECT p_id, d_val FROM probe JOIN dup ON p_key = d_key AND d_val % 3 <> p_id % 3"},
        new String[] {"INNER", "SELECT p_id, u_key FROM probe JOIN uniq ON p_name = u_name"},
        new String[] {"INNER", "SELECT p_id, u_key FROM probe JOIN uniq ON p_x = u_x AND p_key = u_key"},
        new String[] {"INNER", "SELECT d_key % 7, count(*), sum(d_val), max(p_name) FROM probe JOIN dup "
            + "ON p_key = d_key WHERE p_id % 5 <> 0 GROUP BY d_key % 7"},
        new String[] {"LEFT", "SELECT p_id, u_name FROM probe LEFT JOIN uniq ON p_key = u_key"},
        new String[] {"LEFT", "SELECT p_id, d_val FROM probe LEFT JOIN dup ON p_key = d_key"},
        new String[] {"LEFT", "SELECT p_id, d_val FROM probe LEFT JOIN dup ON p_key = d_key AND d_val % 10 < p_id % 10"},
        new String[] {"LEFT", "SELECT p_id, u_name FROM probe LEFT JOIN uniq ON p_key = u_key AND u_x > p_id / 40"},
        new String[] {"LEFT", "SELECT p_id, d_val FROM dup RIGHT JOIN probe ON p_key = d_key"},
        new String[] {"FULL", "SELECT p_id, d_key, d_val FROM probe FULL JOIN dup ON p_key = d_key"},
        new String[] {"FULL", "SELECT p_id, u_key, u_name FROM probe FULL JOIN uniq ON p_key = u_key AND p_id < 1000"},
        new String[] {"FULL", "SELECT count(*), count(p_id), count(d_key), sum(d_val) FROM probe FULL JOIN dup "
            + "ON p_key = d_key"},
        new String[] {"SEMI", "SELECT p_id FROM probe WHERE EXISTS (SELECT 1 FROM dup WHERE d_key = p_key)"},
        new String[] {"SEMI", "SELECT p_id FROM probe WHERE EXISTS (SELECT 1 FROM dup WHERE d_key = p_key "
            + "AND d_val % 10 = 2 AND d_val > p_id)"},
        // INTERSECT and EXCEPT match NULLs (null-safe keys).
        new String[] {"SEMI", "SELECT p_key, p_name FROM probe INTERSECT SELECT u_key, u_name FROM uniq"},
        new String[] {"ANTI", "SELECT p_key, p_name FROM probe EXCEPT SELECT u_key, u_name FROM uniq WHERE u_key < 20"},
        new String[] {"ANTI", "SELECT p_id, p_key FROM probe WHERE NOT EXISTS (SELECT 1 FROM dup WHERE d_key = p_key)"},
        new String[] {"ANTI", "SELECT p_id FROM probe WHERE NOT EXISTS (SELECT 1 FROM dup WHERE d_key = p_key "
            + "AND d_val > p_id * 2)"},
        new String[] {"MARK", "SELECT p_id, p_key IN (SELECT d_key FROM dup) FROM probe"},
        new String[] {"MARK", "SELECT p_id, p_key NOT IN (SELECT d_key FROM dup) FROM probe"},
        new String[] {"MARK", "SELECT p_id, p_key IN (SELECT n_key FROM nonull_keys) FROM probe"},
        new String[] {"MARK", "SELECT p_id FROM probe WHERE p_key NOT IN (SELECT n_key FROM nonull_keys)"},
        new String[] {"MARK", "SELECT p_id, p_key IN (SELECT d_key FROM dup WHERE d_val < 0) FROM probe"},
        new String[] {"SINGLE", "SELECT p_id, (SELECT u_name FROM uniq WHERE u_key = p_key) FROM probe"},
        // No keys: a nested loop over one chain of every build row.
        new String[] {"INNER", "SELECT p_id, u_name FROM probe JOIN uniq ON p_key < u_key AND u_key < 3"},
        new String[] {"SINGLE", "SELECT p_id, p_key - (SELECT max(u_key) FROM uniq) FROM probe"},
        new String[] {"LEFT", "SELECT p_id, u_name FROM probe LEFT JOIN uniq ON p_key * 2 < u_key AND u_key < 9"},
        // The left side is the smaller: the probe marks build rows, emitted at the end.
        new String[] {"ANTI (build side preserved)", "SELECT p_key FROM probe EXCEPT SELECT d_key FROM dup"},
        new String[] {"SEMI (build side preserved)", "SELECT u_key, u_name FROM uniq WHERE EXISTS "
            + "(SELECT 1 FROM probe WHERE p_key = u_key AND p_id > u_key * 10)"},
        new String[] {"ANTI (build side preserved)", "SELECT u_key, u_name FROM uniq WHERE NOT EXISTS "
            + "(SELECT 1 FROM probe WHERE p_key = u_key AND p_id > u_key * 10)"},
        new String[] {"SEMI (build side preserved)", "SELECT count(*), sum(u_key), max(u_name) FROM uniq "
            + "WHERE EXISTS (SELECT 1 FROM probe WHERE p_key = u_key)"},
        // Several probes in one loop: build rows and marks carried from one probe's loops to the next.
        new String[] {"INNER", "SELECT u_name, count(*), sum(d_val), min(p_id) FROM probe JOIN dup ON p_key = d_key "
            + "JOIN uniq ON p_key = u_key GROUP BY u_name"},
        new String[] {"INNER", "SELECT p_id, d_val, u_name, p_key IN (SELECT n_key FROM nonull_keys) FROM probe "
            + "LEFT JOIN uniq ON p_key = u_key JOIN dup ON p_key = d_key"},
        new String[] {"MARK", "SELECT m.p_id, m.mk, d_val FROM (SELECT p_id, p_key, p_key NOT IN "
            + "(SELECT d_key FROM dup WHERE d_val > 1500) AS mk FROM probe) m JOIN dup ON m.p_key = d_key"},
        // A column computed before a probe and read after it is computed again in the probe's loops.
        new String[] {"INNER", "SELECT q.v, d_val FROM (SELECT p_key, p_id * 3 + 1 AS v FROM probe) q "
            + "JOIN dup ON q.p_key = d_key"});
  }

  @ParameterizedTest
  @MethodSource("queries")
  void fusedProbeGivesTheInterpretersAnswer(String type, String sql) {
    String explain = explain(sql);
    assertTrue(explain.matches("(?s).*fused: (Hash|NestedLoop)Join " + java.util.regex.Pattern.quote(type) + ".*"),
        explain);
    assertFalse(explain.contains("interpreted: HashJoin") || explain.contains("interpreted: NestedLoopJoin"), explain);
    assertTrue(explain.contains("a build side of at most 16384 rows is probed in one loop"), explain);
    List<String> expected = TinyTables.sortedRows(interpreted.execute(sql));
    assertEquals(expected, TinyTables.sortedRows(compiled.execute(sql)), sql);
    assertEquals(expected, TinyTables.sortedRows(phased.execute(sql)), "in phases: " + sql);
    assertEquals(0, compiled.codegenMetrics().fallbacks());
    assertEquals(0, phased.codegenMetrics().fallbacks());
  }

  private static String explain(String sql) {
    List<String> lines = new ArrayList<>();
    for (Object[] row : compiled.execute("EXPLAIN CODEGEN " + sql).rows()) {
      lines.add((String) row[0]);
    }
    return String.join("\n", lines);
  }

  /** NOT IN's NULL rules, by hand: a NULL among the subquery's values leaves no row TRUE. */
  @Test
  void notInFollowsTheNullRules() {
    for (Kiln kiln : List.of(interpreted, compiled, phased)) {
      assertEquals(List.of(), kiln.execute("SELECT p_id FROM probe WHERE p_key NOT IN (SELECT d_key FROM dup)").rows());
      // Against values without NULLs, rows with a NULL key are still unknown, so not kept.
      Result r = kiln.execute("SELECT count(*) FROM probe WHERE p_key NOT IN (SELECT n_key FROM nonull_keys)");
      assertEquals(expectedNotIn(), ((Number) r.rows().get(0)[0]).longValue());
      // The mark itself: NULL for a NULL key against a non-empty subquery, FALSE against an empty one.
      Result marks = kiln.execute("SELECT p_key IN (SELECT n_key FROM nonull_keys), "
          + "p_key IN (SELECT d_key FROM dup WHERE d_val < -5) FROM probe WHERE p_id = 5");
      assertEquals("[null, false]", java.util.Arrays.toString(marks.rows().get(0)));
    }
  }

  private static long expectedNotIn() {
    long n = 0;
    for (int i = 0; i < 3000; i++) {
      int key = (i * 7) % 240;
      n += i % 17 != 5 && (key < 1 || key > 50) ? 1 : 0;
    }
    return n;
  }

  /** SINGLE joins fail, as interpreted ones do, when a scalar subquery finds two rows. */
  @Test
  void scalarSubqueryWithTwoRowsFails() {
    String sql = "SELECT p_id, (SELECT d_val FROM dup WHERE d_key = p_key) FROM probe";
    assertTrue(explain(sql).contains("fused: HashJoin SINGLE"));
    for (Kiln kiln : List.of(compiled, phased)) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute(sql));
      assertTrue(e.getMessage().contains("more than one row"), e.getMessage());
    }
  }

  /** Correlated NOT IN (its NULL rules look at correlation groups) stays the embedded interpreted operator. */
  @Test
  void correlatedNotInRunsEmbedded() {
    String sql = "SELECT p_id FROM probe WHERE p_key NOT IN (SELECT d_key FROM dup WHERE d_val % 7 = p_id % 7)";
    String explain = explain(sql);
    assertTrue(explain.contains("interpreted: HashJoin MARK"), explain);
    List<String> expected = TinyTables.sortedRows(interpreted.execute(sql));
    assertEquals(expected, TinyTables.sortedRows(compiled.execute(sql)));
    assertTrue(expected.size() > 100, "rows: " + expected.size());
  }

  /** The generated class of a run (tables built): unique build keys stop at the first match. */
  @Test
  void uniqueBuildKeysTakeTheSingleMatchPath(@TempDir Path dump) throws IOException {
    String sql = "SELECT p_id, u_name FROM probe JOIN uniq ON p_key = u_key WHERE p_id > 10";
    try (Kiln kiln = Modes.builder(ExecutionMode.COMPILED).threads(1).codegenDumpDir(dump).build()) {
      tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
      kiln.execute(sql);
      kiln.execute("SELECT p_id, d_val FROM probe JOIN dup ON p_key = d_key WHERE p_id > 10");
    }
    String sources = dumped(dump);
    assertTrue(sources.contains("(build keys are unique: at most one match)"), sources);
    assertTrue(sources.contains("(every match continues)"), sources);
  }

  /** What runs is what was generated for the built table: small ones in one loop, large ones in phases. */
  @Test
  void smallBuildSidesAreProbedInOneLoop(@TempDir Path dump) throws IOException {
    String sql = "SELECT p_id, d_val FROM probe JOIN dup ON p_key = d_key WHERE p_id > 10";
    List<String> expected = TinyTables.sortedRows(interpreted.execute(sql));
    for (boolean oneLoop : new boolean[] {true, false}) {
      Path dir = Files.createDirectory(dump.resolve(oneLoop ? "one-loop" : "phased"));
      try (Kiln kiln = Modes.builder(ExecutionMode.COMPILED).threads(1).codegenDumpDir(dir).build()) {
        tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
        kiln.compiledPipelines().oneLoopProbeMaxRows(oneLoop ? 602 : 601); // dup has 602 rows
        assertEquals(expected, TinyTables.sortedRows(kiln.execute(sql)));
      }
      String sources = dumped(dir);
      assertEquals(oneLoop, sources.contains("a table this small stays in cache"), sources);
      assertEquals(!oneLoop, sources.contains("phase 2, the chain head of each hash"), sources);
    }
  }

  private static String dumped(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        sb.append(Files.readString(f));
      }
    }
    return sb.toString();
  }

  /** A fused probe followed by a projection too wide for one method: split mode, same answers. */
  @Test
  void fusedProbeInSplitMode() {
    StringJoiner cols = new StringJoiner(", ");
    for (int i = 0; i < 300; i++) {
      cols.add("CASE WHEN d_val > " + i + " THEN p_id * " + i + " + d_key ELSE p_key - " + i + " END");
    }
    String sql = "SELECT p_name, " + cols + " FROM probe LEFT JOIN dup ON p_key = d_key AND d_val % 10 <> 0";
    for (int oneLoopMaxRows : new int[] {Integer.MAX_VALUE, -1}) {
      try (Kiln kiln = session(ExecutionMode.COMPILED)) {
        kiln.compiledPipelines().oneLoopProbeMaxRows(oneLoopMaxRows);
        Result actual = kiln.execute(sql);
        assertEquals(1, kiln.codegenMetrics().splits(), "the single-method version exceeds the JIT limit");
        assertEquals(TinyTables.sortedRows(interpreted.execute(sql)), TinyTables.sortedRows(actual));
      }
    }
  }
}
