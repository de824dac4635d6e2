package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.error.KilnException;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries at SF 0.1 on a real cluster: a scheduler and three worker JVMs on
 * loopback, rows shuffled between the workers over Arrow Flight, in both modes, against DuckDB on
 * the same files. Closing the cluster stops every worker process and deletes its files.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class ClusterTpchTest {
  private static final double SCALE_FACTOR = 0.1;
  @TempDir static Path data;
  private static LocalCluster cluster;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  private static final Map<Integer, List<Object[]>> expected = new HashMap<>();
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void start() {
    TpchGenerator.generate(SCALE_FACTOR, data, progress -> {});
    cluster = LocalCluster.start(3, 1, 0, "1g");
    for (ExecutionMode mode : Modes.all()) {
      // Broadcast joins in one mode, shuffle joins in the other: both ways of cutting a join get run.
      Kiln kiln = Modes.builder(mode).threads(2).cluster(cluster.address())
          .broadcastMaxRows(mode == ExecutionMode.COMPILED ? 1_000_000 : 0).build();
      sessions.put(mode, kiln);
      TpchDriver.registerTables(kiln, data);
    }
    duckDb = new DuckDbOracle(2);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
  }

  @AfterAll
  static void stop() {
    try {
      sessions.values().forEach(Kiln::close); // fails if a result leaked Arrow memory
      sessions.clear();
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      if (cluster != null) {
        List<Process> workers = cluster.workerProcesses();
        cluster.close();
        for (Process p : workers) {
          assertTrue(!p.isAlive(), "a worker process outlived the cluster");
          // A worker that leaked Arrow memory or left files fails its close: a non-zero exit.
          assertEquals(0, p.exitValue(), "worker exit code");
        }
      }
    }
  }

  static Stream<Arguments> queries() {
    return Modes.all().stream().flatMap(m -> TpchQueries.all().stream().map(q -> Arguments.of(m, q)));
  }

  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void queryMatchesDuckDb(ExecutionMode mode, int q) {
    String sql = TpchQueries.text(q);
    Result result = sessions.get(mode).execute(sql);
    ResultAssert.assertSameRows(sql, result, expected.computeIfAbsent(q, k -> duckDb.query(sql)),
        ResultAssert.hasOuterOrderBy(sql));
  }

  @Test
  void errorOnAWorkerKeepsItsKindAndMessage() {
    KilnException e = assertThrows(KilnException.class,
        () -> sessions.get(ExecutionMode.INTERPRETED).execute("SELECT CAST(l_comment AS INTEGER) FROM lineitem"));
    assertEquals(KilnException.Kind.EXECUTION, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot cast") && e.getMessage().contains("on worker"), e.getMessage());
  }

  @Test
  void explainShowsTheStages() {
    String text = text(sessions.get(ExecutionMode.COMPILED).execute("EXPLAIN " + TpchQueries.text(3)));
    assertTrue(text.contains("Stage 0") && text.contains("Stage 1") && text.contains("Exchange"), text);
  }

  @Test
  void explainDistributedShowsEachStagesTasks() {
    // interpreted session: no broadcast, so Q3's joins shuffle both sides into 3 partitions (3 slots)
    String text = text(sessions.get(ExecutionMode.INTERPRETED).execute("EXPLAIN DISTRIBUTED " + TpchQueries.text(3)));
    assertTrue(text.contains("(3 slots)"), text);
    assertTrue(text.contains("3 tasks (one per input partition)"), text);
    assertTrue(text.contains("(scan morsels dealt out)"), text);
  }

  @Test
  void explainAnalyzeShowsWhatEachStageDid() {
    String text = text(sessions.get(ExecutionMode.COMPILED).execute("EXPLAIN ANALYZE " + TpchQueries.text(1)));
    assertTrue(text.contains("Stages, as they ran:"), text);
    // lineitem's 600k rows at SF 0.1 become a few partial groups per task; the final result is 4 rows
    assertTrue(text.matches("(?s).*Stage 0 .*tasks done, [1-9][0-9]* rows, [1-9][0-9]* bytes.*"), text);
    assertTrue(text.contains("Execution: 4 rows"), text);
  }

  @Test
  void workersCompileAsTheSessionSaysAndTheSchedulerShowsTheirCode() {
    for (ExecutionMode mode : Modes.all()) {
      // 25 rows, far fewer than workers compile by default; the modes' texts differ, to find each on the board
      String sql = "SELECT n_regionkey, count(*) AS n FROM nation WHERE n_nationkey > "
          + (mode == ExecutionMode.COMPILED ? "1" : "2") + " GROUP BY n_regionkey";
      sessions.get(mode).execute(sql);
      io.kiln.observe.QueryView q = cluster.scheduler().dashboard().queries().stream()
          .filter(v -> v.sql().equals(sql)).findFirst().orElseThrow();
      String code = cluster.scheduler().dashboard().query(q.id()).orElseThrow().code();
      assertTrue(code.contains("Stage 0, task 0 on worker "), code);
      if (mode == ExecutionMode.COMPILED) {
        // the session compiles every pipeline, however small (Modes): its tasks did too
        assertTrue(code.contains("compiled (") && code.contains("extends io.kiln.codegen.runtime.GeneratedPipeline"),
            code);
      } else {
        assertTrue(code.contains("interpreted") && !code.contains("compiled ("), code);
      }
    }
  }

  @Test
  void approxCountDistinctMergesSketchesFromEveryWorker() {
    for (ExecutionMode mode : Modes.all()) {
      // the workers' partial sketches cross the shuffle as the aggregates' binary states
      Object[] row = sessions.get(mode).execute("SELECT approx_count_distinct(l_orderkey), count(DISTINCT l_orderkey),"
          + " approx_count_distinct(l_comment), count(DISTINCT l_comment) FROM lineitem").rows().get(0);
      for (int c = 0; c < 4; c += 2) {
        long estimate = (Long) row[c];
        long exact = (Long) row[c + 1];
        assertTrue(Math.abs(estimate - exact) <= 0.05 * exact, mode + ": " + estimate + " for " + exact);
      }
    }
  }

  private static String text(Result r) {
    return String.join("\n", r.rows().stream().map(row -> (String) row[0]).toList());
  }

  @Test
  void tablesOnlyThisProcessHasAreRefused() {
    Kiln kiln = sessions.get(ExecutionMode.COMPILED);
    try (org.apache.arrow.memory.BufferAllocator a = new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.vector.BigIntVector v = new org.apache.arrow.vector.BigIntVector("x", a)) {
      v.allocateNew(1);
      v.set(0, 1);
      v.setValueCount(1);
      try (org.apache.arrow.vector.VectorSchemaRoot root = org.apache.arrow.vector.VectorSchemaRoot.of(v)) {
        kiln.registerArrow("local_only", List.of(root));
      }
    }
    KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT x FROM local_only"));
    assertTrue(e.getMessage().contains("local_only") && e.getMessage().contains("every worker"), e.getMessage());
    assertTrue(Files.isDirectory(data));
  }
}
