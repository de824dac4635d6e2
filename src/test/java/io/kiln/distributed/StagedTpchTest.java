package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.distributed.scheduler.StageDag;
import io.kiln.logical.ColumnRef;
import io.kiln.optimizer.Optimizer;
import io.kiln.physical.Batches;
import io.kiln.physical.PipelineBodies;
import io.kiln.physical.plan.ClusterPlanner;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PhysicalPlanner;
import io.kiln.physical.plan.PlanProto;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import io.kiln.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries at SF 0.01 planned for a cluster of 3 partitions, cut into stages and run
 * task by task with each stage's fragment read back from bytes, as workers get it: once with
 * small build sides broadcast and once with every join a shuffle join; both modes; DuckDB's
 * answers over the same files.
 */
class StagedTpchTest {
  private static final double SCALE_FACTOR = 0.01;
  private static final int PARTITIONS = 3;
  @TempDir static Path data;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  private static final Map<Integer, List<Object[]>> expected = new HashMap<>();
  private static DuckDbOracle duckDb;
  private static BufferAllocator allocator;
  private static ExecutorService workers;

  @BeforeAll
  static void generateAndRegister() {
    TpchGenerator.generate(SCALE_FACTOR, data, progress -> {});
    for (ExecutionMode mode : Modes.all()) {
      Kiln kiln = Modes.builder(mode).threads(1).build();
      sessions.put(mode, kiln);
      TpchDriver.registerTables(kiln, data);
    }
    duckDb = new DuckDbOracle(2);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
    allocator = new RootAllocator();
    workers = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void close() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
      if (workers != null) {
        workers.shutdownNow();
      }
      if (allocator != null) {
        allocator.close(); // throws if a run leaked Arrow memory
      }
    } finally {
      sessions.values().forEach(Kiln::close);
      sessions.clear();
    }
  }

  static Stream<Arguments> queries() {
    return Modes.all().stream().flatMap(m -> Stream.of(0L, 1_000_000L)
        .flatMap(broadcast -> TpchQueries.all().stream().map(q -> Arguments.of(m, broadcast, q))));
  }

  @ParameterizedTest(name = "{0} broadcast<={1} q{2}")
  @MethodSource("queries")
  void stagedPlanMatchesDuckDb(ExecutionMode mode, long broadcastMaxRows, int q) {
    String sql = TpchQueries.text(q);
    Kiln kiln = sessions.get(mode);
    PhysicalPlanner.Planned planned =
        PhysicalPlanner.planQuery(new Optimizer().optimize(kiln.sql(sql).logicalPlan()), 1);
    PhysicalNode distributed = ClusterPlanner.distribute(planned, PARTITIONS, broadcastMaxRows);
    // Workers get each fragment as bytes.
    PhysicalNode.Result received = (PhysicalNode.Result) PlanProto.fromBytes(PlanProto.toBytes(distributed));
    StageDag dag = StageDag.cut(received);
    assertTrue(dag.stages().size() > 1, () -> "a TPC-H query has more than one stage:\n" + dag);

    PipelineBodies bodies = mode == ExecutionMode.COMPILED ? kiln.compiledPipelines() : PipelineBodies.INTERPRETED;
    List<DataType> types = received.output().stream().map(ColumnRef::type).toList();
    List<Object[]> rows = new ArrayList<>();
    try (InProcessStages stages = new InProcessStages(allocator, workers, 2)) {
      List<Batch> batches = stages.run(dag, planned.resolver(), bodies, 4, 4);
      try {
        for (Batch b : batches) {
          for (int r = 0; r < b.rowCount(); r++) {
            Object[] row = new Object[types.size()];
            for (int c = 0; c < row.length; c++) {
              row[c] = Vectors.get(b.column(c), types.get(c), r);
            }
            rows.add(row);
          }
        }
      } finally {
        Batches.closeAll(batches);
      }
    }
    List<String> names = received.output().stream().map(ColumnRef::name).toList();
    ResultAssert.assertSameRows(sql + "\n" + dag, names, rows, expected.computeIfAbsent(q, k -> duckDb.query(sql)),
        ResultAssert.hasOuterOrderBy(sql));
  }
}
