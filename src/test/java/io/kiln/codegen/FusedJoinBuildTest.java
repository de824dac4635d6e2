package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hash join build fused into generated code: the build pipeline's class hashes each row's key
 * as it writes the row, and the table built from those hashes gives the interpreter's answers for
 * every join type and key kind. Both tables span several batches (and two worker threads), so the
 * hashes of several batches, pushed by several workers, are concatenated like the rows. Closing
 * the sessions fails on leaked Arrow memory.
 *
 * <pre>
 * probe(p_id INTEGER, p_k INTEGER, p_x DOUBLE, p_s VARCHAR, p_b BOOLEAN)  50,000 rows, NULL keys every 13th row
 * bld(b_id INTEGER, b_k INTEGER, b_x DOUBLE, b_s VARCHAR, b_b BOOLEAN)    40,000 rows, keys repeated, NULL every 11th
 * nothing(same columns as bld)                                            no rows
 * </pre>
 */
class FusedJoinBuildTest {
  private static final String BUILD_FUSED = "fused: hash join build key hash";

  private static TinyTables tables;
  private static Kiln interpreted;
  private static Kiln compiled;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
    List<Object[]> probe = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      boolean nul = i % 13 == 7;
      int k = (i * 31) % 9000;
      // -0.0 on both sides, so whichever side the planner builds holds both zeros
      double x = k % 500 == 0 ? (i % 3 == 0 ? -0.0 : 0.0) : (k % 500) / 4.0;
      probe.add(new Object[] {i, nul ? null : k, nul ? null : x, nul ? null : "s" + (k % 700),
          nul ? null : k % 2 == 0});
    }
    tables.add("probe", columns("p"), probe.toArray(new Object[0][]));
    List<Object[]> bld = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      boolean nul = i % 11 == 3;
      int k = (i * 7) % 12_000;
      // -0.0 and 0.0 are one key: both must hash alike.
      double x = k % 500 == 0 ? (i % 2 == 0 ? -0.0 : 0.0) : (k % 500) / 4.0;
      bld.add(new Object[] {i, nul ? null : k, nul ? null : x, nul ? null : "s" + (k % 900), nul ? null : k % 3 == 0});
    }
    tables.add("bld", columns("b"), bld.toArray(new Object[0][]));
    tables.add("nothing", columns("b"));
    interpreted = session(ExecutionMode.INTERPRETED);
    compiled = session(ExecutionMode.COMPILED);
  }

  private static org.apache.arrow.vector.types.pojo.Schema columns(String p) {
    return TinyTables.schema(TinyTables.col(p + "_id", DataType.INTEGER), TinyTables.col(p + "_k", DataType.INTEGER),
        TinyTables.col(p + "_x", DataType.DOUBLE), TinyTables.col(p + "_s", DataType.VARCHAR),
        TinyTables.col(p + "_b", DataType.BOOLEAN));
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

  /** Queries whose join builds hash keys in generated code. */
  static Stream<String> queries() {
    return Stream.of(
        // Key kinds.
        "SELECT count(*), sum(p_id), sum(b_id) FROM probe JOIN bld ON p_k = b_k",
        "SELECT count(*), sum(p_id), sum(b_id) FROM probe JOIN bld ON p_x = b_x",
        "SELECT count(*), sum(p_id), sum(b_id) FROM probe JOIN bld ON p_s = b_s",
        "SELECT count(*), sum(p_id), sum(b_id) FROM probe JOIN bld ON p_k = b_k AND p_s = b_s",
        "SELECT count(*), sum(p_id), sum(b_id) FROM probe JOIN bld ON p_b = b_b AND p_x = b_x",
        // Keys computed in the build's loop: arithmetic, and strings not in an Arrow buffer.
        "SELECT p_id, v FROM probe JOIN (SELECT b_k * 2 AS k2, b_id + 1 AS v FROM bld WHERE b_id % 5 = 0) b "
            + "ON p_k * 2 = b.k2",
        "SELECT count(*), sum(b_id) FROM probe JOIN bld ON upper(p_s) || 'x' = upper(b_s) || 'x'",
        // Outer joins: unmatched build rows (with NULL keys) come out at the end.
        "SELECT p_id, b_id FROM probe LEFT JOIN bld ON p_k = b_k AND b_id < 2000",
        "SELECT p_id, b_id, b_s FROM probe RIGHT JOIN bld ON p_s = b_s AND p_id < 300",
        "SELECT count(*), count(p_id), count(b_id), sum(b_k) FROM probe FULL JOIN bld ON p_k = b_k",
        // Semi, anti, with the probe side or the build side preserved.
        "SELECT p_id FROM probe WHERE EXISTS (SELECT 1 FROM bld WHERE b_k = p_k AND b_id % 4 = 1)",
        "SELECT p_id FROM probe WHERE NOT EXISTS (SELECT 1 FROM bld WHERE b_x = p_x)",
        "SELECT b_id FROM bld WHERE b_id < 5000 AND EXISTS (SELECT 1 FROM probe WHERE p_k = b_k AND p_id > b_id)",
        "SELECT b_id FROM bld WHERE b_id < 5000 AND NOT EXISTS (SELECT 1 FROM probe WHERE p_s = b_s)",
        // Mark joins: IN and NOT IN with NULLs among the build keys.
        "SELECT p_id, p_k IN (SELECT b_k FROM bld WHERE b_id % 3 = 0) FROM probe",
        "SELECT count(*) FROM probe WHERE p_k NOT IN (SELECT b_k FROM bld WHERE b_id > 100)",
        // Null-safe keys: NULL keys are in the chains and hash as KeyHash.NULL.
        "SELECT p_k, p_s FROM probe INTERSECT SELECT b_k, b_s FROM bld",
        "SELECT p_s, p_b FROM probe EXCEPT SELECT b_s, b_b FROM bld WHERE b_id % 2 = 0",
        "SELECT p_x FROM probe INTERSECT SELECT b_x FROM bld WHERE b_id % 2 = 1",
        // Empty builds.
        "SELECT count(*), sum(p_id) FROM probe JOIN bld ON p_k = b_k AND b_id < 0",
        "SELECT p_id, b_id FROM probe LEFT JOIN (SELECT * FROM bld WHERE b_id < 0) b ON p_s = b.b_s WHERE p_id < 50",
        "SELECT count(*) FROM probe WHERE p_k NOT IN (SELECT b_k FROM nothing WHERE b_id > 0)",
        // A build of two pipelines: each pushes its own batches and hashes.
        "SELECT count(*), sum(p_id), sum(v) FROM probe JOIN (SELECT b_k, b_id AS v FROM bld WHERE b_id < 9000 "
            + "UNION ALL SELECT b_k, -b_id FROM bld WHERE b_id > 30000) u ON p_k = u.b_k",
        // Several builds in one query, one feeding another's build side.
        "SELECT count(*), sum(q.b_id) FROM probe JOIN (SELECT b_id, b_k FROM bld JOIN probe ON b_s = p_s "
            + "WHERE p_id < 20) q ON p_k = q.b_k");
  }

  @ParameterizedTest
  @MethodSource("queries")
  void fusedBuildGivesTheInterpretersAnswer(String sql) {
    String explain = explain(sql);
    assertTrue(explain.contains(BUILD_FUSED), explain);
    Result expected = interpreted.execute(sql);
    Result actual = compiled.execute(sql);
    assertEquals(TinyTables.sortedRows(expected), TinyTables.sortedRows(actual), sql);
    assertEquals(0, compiled.codegenMetrics().fallbacks());
  }

  /** A correlated NOT IN's probe runs interpreted (embedded): it must find the rows by the generated hashes too. */
  @Test
  void interpretedProbeFindsGeneratedHashes() {
    String sql = "SELECT count(*) FROM probe WHERE p_k NOT IN (SELECT b_k FROM bld WHERE b_id % 7 = p_id % 7)";
    String explain = explain(sql);
    assertTrue(explain.contains("interpreted: HashJoin MARK") && explain.contains(BUILD_FUSED), explain);
    assertEquals(TinyTables.sortedRows(interpreted.execute(sql)), TinyTables.sortedRows(compiled.execute(sql)));
  }

  /** A nested-loop join has no keys to hash: its build pipeline is left as it was. */
  @Test
  void keylessBuildHasNothingToHash() {
    String sql = "SELECT p_id, b_id FROM probe JOIN bld ON p_k < b_k AND b_id < 3 WHERE p_id < 100";
    String explain = explain(sql);
    assertTrue(explain.contains("NestedLoopJoin"), explain);
    assertFalse(explain.contains(BUILD_FUSED), explain);
    assertEquals(TinyTables.sortedRows(interpreted.execute(sql)), TinyTables.sortedRows(compiled.execute(sql)));
  }

  /** The generated build loop reads and hashes the key in the loop that writes the rows. */
  @Test
  void generatedBuildHashesInTheRowLoop() {
    String explain = explain("SELECT count(*) FROM probe JOIN (SELECT b_k + 1 AS k1 FROM bld WHERE b_id > 5) b "
        + "ON p_k = b.k1");
    assertTrue(explain.contains("join build: the row's key hash"), explain);
    assertTrue(explain.contains("JoinBuildSink.BuildLocal) local).push("), explain);
    assertTrue(explain.contains("hash join build rows with their key hashes"), explain);
  }

  /** EXPLAIN ANALYZE counts the same rows whether the build is fused or not. */
  @Test
  void explainAnalyzeCountsMatch() {
    String sql = "EXPLAIN ANALYZE SELECT count(*) FROM probe JOIN (SELECT b_k FROM bld WHERE b_id % 3 = 1) b "
        + "ON p_k = b.b_k WHERE p_id % 2 = 0";
    assertEquals(rowCounts(interpreted.execute(sql)), rowCounts(compiled.execute(sql)));
  }

  private static List<String> rowCounts(Result plan) {
    List<String> out = new ArrayList<>();
    for (Object[] row : plan.rows()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("rows=\\d+").matcher((String) row[0]);
      while (m.find()) {
        out.add(m.group());
      }
    }
    assertFalse(out.isEmpty(), "no row counts in the plan");
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
