package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.optimizer.Optimizer;
import io.kiln.physical.Batches;
import io.kiln.physical.DagBuilder;
import io.kiln.physical.PipelineBodies;
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
 * The 22 TPC-H queries at SF 0.1 as a worker would get them: planned, written to bytes, read back
 * (equal to the plan written), and the plan read is the one run, in both execution modes, with
 * DuckDB over the same Parquet files as the reference.
 */
class PlanProtoTpchTest {
  private static final double SCALE_FACTOR = 0.1;
  private static final int THREADS = 2;
  @TempDir static Path data;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  private static final Map<Integer, List<Object[]>> expected = new HashMap<>();
  private static DuckDbOracle duckDb;
  private static BufferAllocator allocator;
  private static ExecutorService workers;

  @BeforeAll
  static void generateAndRegister() {
    long start = System.nanoTime();
    TpchGenerator.generate(SCALE_FACTOR, data, progress -> {});
    System.out.printf("PlanProtoTpchTest: TPC-H SF %s generated in %.1f s%n", SCALE_FACTOR,
        (System.nanoTime() - start) / 1e9);
    for (ExecutionMode mode : Modes.all()) {
      Kiln kiln = Modes.builder(mode).threads(THREADS).build();
      sessions.put(mode, kiln);
      TpchDriver.registerTables(kiln, data);
    }
    duckDb = new DuckDbOracle(THREADS);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
    allocator = new RootAllocator();
    workers = Executors.newFixedThreadPool(THREADS);
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
    return Modes.all().stream().flatMap(m -> TpchQueries.all().stream().map(q -> Arguments.of(m, q)));
  }

  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void deserializedPlanRunsAndMatchesDuckDb(ExecutionMode mode, int q) {
    String sql = TpchQueries.text(q);
    Kiln kiln = sessions.get(mode);
    PhysicalPlanner.Planned planned =
        PhysicalPlanner.planQuery(new Optimizer().optimize(kiln.sql(sql).logicalPlan()), kiln.threads());

    byte[] bytes = PlanProto.toBytes(planned.root());
    PhysicalNode received = PlanProto.fromBytes(bytes);
    assertEquals(planned.root(), received);
    assertEquals(PlanProto.toProto(planned.root()), PlanProto.toProto(received), "column names and types too");

    PipelineBodies bodies = mode == ExecutionMode.COMPILED ? kiln.compiledPipelines() : PipelineBodies.INTERPRETED;
    List<Object[]> rows = run(received, planned.resolver(), bodies);
    List<String> names = received.output().stream().map(ColumnRef::name).toList();
    ResultAssert.assertSameRows(sql, names, rows, expected.computeIfAbsent(q, k -> duckDb.query(sql)),
        ResultAssert.hasOuterOrderBy(sql));
  }

  /** Runs a plan as Kiln.executeOptimized does, the rows as Java values. */
  private static List<Object[]> run(PhysicalNode plan, TableResolver tables, PipelineBodies bodies) {
    List<DataType> types = plan.output().stream().map(ColumnRef::type).toList();
    List<Object[]> rows = new ArrayList<>();
    try (BufferAllocator query = allocator.newChildAllocator("query", 0, Long.MAX_VALUE);
        ExecContext ctx = new ExecContext(query, workers, THREADS)) {
      List<Batch> batches = DagBuilder.build(plan, tables, bodies, ctx).run(ctx);
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
    return rows;
  }
}
