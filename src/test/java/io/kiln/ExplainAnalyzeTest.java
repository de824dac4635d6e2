package io.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** EXPLAIN ANALYZE shows the rows each source and operator produced, the same in both modes. */
class ExplainAnalyzeTest {
  /** A step's rows, then any further counts of its work (an aggregation's rows grouped by dictionary id). */
  private static final Pattern ROWS = Pattern.compile("\\(rows=(\\d+)(, [a-z ]+=\\d+)*\\)$");
  private static TinyTables tables;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
  }

  @AfterAll
  static void tearDown() {
    tables.close();
  }

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  private static Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    return kiln;
  }

  private static long count(Kiln kiln, String sql) {
    return ((Number) kiln.execute(sql).rows().get(0)[0]).longValue();
  }

  /** The row count printed on the first plan line starting with {@code prefix} (after indentation). */
  private static long rowsOf(List<String> plan, String prefix) {
    for (String line : plan) {
      if (line.strip().startsWith(prefix)) {
        Matcher m = ROWS.matcher(line);
        assertTrue(m.find(), "no row count on: " + line);
        return Long.parseLong(m.group(1));
      }
    }
    throw new AssertionError("no line starting with " + prefix + " in " + String.join("\n", plan));
  }

  @ParameterizedTest
  @MethodSource("modes")
  void countsRowsOutOfEverySourceAndOperator(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      List<String> plan = new ArrayList<>();
      for (Object[] row : kiln.execute("EXPLAIN ANALYZE SELECT c_nation, count(*) FROM cust JOIN ord ON c_id = o_cust "
          + "WHERE o_total > 5.00 AND c_id + o_id > 0 GROUP BY c_nation").rows()) {
        plan.add((String) row[0]);
      }
      assertTrue(plan.stream().anyMatch(l -> l.contains("Physical plan (" + mode.name().toLowerCase())), plan.toString());
      assertEquals(count(kiln, "SELECT count(*) FROM ord"), rowsOf(plan, "source: Scan ord"));
      assertEquals(count(kiln, "SELECT count(*) FROM cust"), rowsOf(plan, "source: Scan cust"));
      assertEquals(count(kiln, "SELECT count(*) FROM ord WHERE o_total > 5.00"), rowsOf(plan, "Filter (o_total"));
      assertEquals(count(kiln, "SELECT count(*) FROM cust JOIN ord ON c_id = o_cust WHERE o_total > 5.00"),
          rowsOf(plan, "HashJoin"));
      assertEquals(count(kiln, "SELECT count(DISTINCT c_nation) FROM cust JOIN ord ON c_id = o_cust "
          + "WHERE o_total > 5.00 AND c_id + o_id > 0"), rowsOf(plan, "source: HashAggregate"));
    }
  }

  /** Bytes EXPLAIN ANALYZE says the sink of the pipeline into {@code sink} held. */
  private static long sinkBytes(List<String> plan, String sink) {
    Pattern held = Pattern.compile("-> " + Pattern.quote(sink) + ".*sink holds (\\d+) bytes");
    for (String line : plan) {
      Matcher m = held.matcher(line);
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    throw new AssertionError("no pipeline into " + sink + " with its memory in " + String.join("\n", plan));
  }

  private static List<String> explainAnalyze(Kiln kiln, String sql) {
    List<String> plan = new ArrayList<>();
    for (Object[] row : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
      plan.add((String) row[0]);
    }
    return plan;
  }

  @ParameterizedTest
  @MethodSource("modes")
  void showsTheMemoryEachSinkHeld(ExecutionMode mode) {
    int n = 200_000;
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      rows.add(new Object[] {i});
    }
    org.apache.arrow.vector.types.pojo.Schema schema = new org.apache.arrow.vector.types.pojo.Schema(List.of(
        org.apache.arrow.vector.types.pojo.Field.nullable("k", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true))));
    try (org.apache.arrow.memory.RootAllocator memory = new org.apache.arrow.memory.RootAllocator();
        io.kiln.datasource.memory.MemoryTable big = io.kiln.datasource.memory.MemoryTable.fromRows(schema, rows, memory);
        Kiln kiln = Modes.builder(mode).threads(2).build()) {
      kiln.registerTable("big", big);
      // each sink holds at least its 8-byte keys for every row; a join's chains add 32 bytes a row
      long groups = sinkBytes(explainAnalyze(kiln, "SELECT k, count(*) FROM big GROUP BY k"), "HashAggregate");
      assertTrue(groups >= 8L * n, "the aggregate held " + groups + " bytes");
      long build = sinkBytes(explainAnalyze(kiln, "SELECT count(*) FROM big a JOIN big b ON a.k = b.k"),
          "HashJoinBuild");
      assertTrue(build >= 40L * n, "the join build held " + build + " bytes");
      long sorted = sinkBytes(explainAnalyze(kiln, "SELECT k FROM big ORDER BY k DESC"), "Sort");
      assertTrue(sorted >= 8L * n, "the sort held " + sorted + " bytes");
    }
  }

  @org.junit.jupiter.api.Test
  void explainDistributedInOneProcessShowsTheStagesForAClusterOfItsThreads() {
    try (Kiln kiln = session(ExecutionMode.INTERPRETED)) {
      List<String> plan = new ArrayList<>();
      kiln.execute("EXPLAIN DISTRIBUTED SELECT c_name, sum(o_total) FROM cust JOIN ord ON o_cust = c_id GROUP BY c_name")
          .rows().forEach(r -> plan.add((String) r[0]));
      String text = String.join("\n", plan);
      assertTrue(text.contains("a cluster of 2 slots"), text);
      assertTrue(text.contains("Stage 0") && text.contains("Stage 1") && text.contains("Exchange"), text);
      // every stage says how many tasks it would be split into
      assertEquals(plan.stream().filter(l -> l.startsWith("Stage ")).count(),
          plan.stream().filter(l -> l.matches("Stage \\d+ .*: \\d+ tasks?( \\(.*\\))?")).count(), text);
    }
  }
}
