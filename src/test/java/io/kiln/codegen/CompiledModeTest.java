package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compiled mode's machinery: the class cache, literals as constants, splitting, fallback, EXPLAIN CODEGEN, SET. */
class CompiledModeTest {
  private static TinyTables tables;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
  }

  @AfterAll
  static void tearDown() {
    tables.close();
  }

  private static Kiln session(boolean fallback) {
    return session(Kiln.builder().compileFallback(fallback).compileMinRows(0));
  }

  private static Kiln session(Kiln.Builder builder) {
    Kiln kiln = builder.threads(2).executionMode(ExecutionMode.COMPILED).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    return kiln;
  }

  private static List<String> rows(Result r) {
    return TinyTables.sortedRows(r);
  }

  @Test
  void aRepeatedQueryCompilesNothing() {
    try (Kiln kiln = session(false)) {
      String sql = "SELECT c_nation, count(*), sum(c_id) FROM cust WHERE c_id > 1 GROUP BY c_nation";
      Result first = kiln.execute(sql);
      long compiled = kiln.codegenMetrics().compiledClasses();
      assertTrue(compiled > 0, "the first run compiles its pipelines");
      assertEquals(compiled, kiln.codegenMetrics().compileNanos().size());
      assertEquals(compiled, kiln.codegenMetrics().compileCpuNanos().size(), "HotSpot measures thread CPU time");
      Result second = kiln.execute(sql);
      assertEquals(compiled, kiln.codegenMetrics().compiledClasses(), "second run must hit the cache");
      assertTrue(kiln.codegenMetrics().cacheHits() > 0);
      assertEquals(rows(first), rows(second));
    }
  }

  /**
   * A pipeline whose input has fewer rows than compileMinRows runs interpreted (counted): cust's scan
   * has 4 rows and the aggregation's result 3, so a minimum of 4 compiles only the scan's pipeline.
   */
  @Test
  void pipelinesWithSmallInputsRunInterpreted() {
    String sql = "SELECT c_nation, count(*), sum(c_id) FROM cust WHERE c_id > 0 GROUP BY c_nation ORDER BY 1";
    try (Kiln defaults = session(Kiln.builder().compileFallback(false));
        Kiln four = session(Kiln.builder().compileFallback(false).compileMinRows(4))) {
      assertEquals(rows(tables.run(sql)), rows(defaults.execute(sql)));
      assertEquals(0, defaults.codegenMetrics().compiledClasses(), defaults.codegenMetrics().toString());
      assertEquals(2, defaults.codegenMetrics().smallInputs(), "the scan's and the aggregation result's pipelines");
      assertEquals(rows(tables.run(sql)), rows(four.execute(sql)));
      assertEquals(1, four.codegenMetrics().compiledClasses(), four.codegenMetrics().toString());
      assertEquals(1, four.codegenMetrics().smallInputs(), four.codegenMetrics().toString());
    }
    assertThrows(IllegalArgumentException.class, () -> Kiln.builder().compileMinRows(-1));
  }

  @Test
  void queriesDifferingOnlyInLiteralsShareOneClass() {
    try (Kiln kiln = session(false)) {
      Result a = kiln.execute("SELECT o_id, o_total * 2 FROM ord WHERE o_total > 5.00 AND o_id <> 101");
      long compiled = kiln.codegenMetrics().compiledClasses();
      Result b = kiln.execute("SELECT o_id, o_total * 3 FROM ord WHERE o_total > 20.00 AND o_id <> 100");
      assertEquals(compiled, kiln.codegenMetrics().compiledClasses(), "literals are constants, not source text");
      assertEquals(rows(tables.run("SELECT o_id, o_total * 2 FROM ord WHERE o_total > 5.00 AND o_id <> 101")), rows(a));
      assertEquals(rows(tables.run("SELECT o_id, o_total * 3 FROM ord WHERE o_total > 20.00 AND o_id <> 100")), rows(b));
      assertEquals(3, a.rows().size());
      assertEquals(2, b.rows().size());
    }
  }

  /** A projection too large for one method: split into a method per column, same answer as interpreted. */
  @Test
  void wideProjectionIsSplitIntoMethods() {
    StringJoiner cols = new StringJoiner(", ");
    for (int i = 0; i < 400; i++) {
      cols.add("CASE WHEN o_total > " + i + " THEN o_id * " + i + " + o_cust ELSE o_cust - " + i + " END");
    }
    String sql = "SELECT " + cols + " FROM ord";
    try (Kiln kiln = session(false)) {
      Result compiled = kiln.execute(sql);
      assertEquals(1, kiln.codegenMetrics().splits(), "the single-method version exceeds the JIT limit");
      assertEquals(0, kiln.codegenMetrics().fallbacks());
      assertEquals(rows(tables.run(sql)), rows(compiled));
    }
  }

  /** A compile failure: the pipeline runs interpreted (counted), or the query fails when fallback is off. */
  @Test
  void compileFailureFallsBackOrFailsInStrictMode() {
    String sql = "SELECT c_nation, count(*), max(c_name) FROM cust WHERE c_id > 1 GROUP BY c_nation";
    java.util.function.Function<GeneratedSource, CompiledClass> broken = source -> {
      throw new CodegenException("simulated compiler failure");
    };
    try (org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      CompiledPipelines lenient = new CompiledPipelines(true, null, 0, broken);
      assertEquals(rows(tables.run(sql)), run(sql, lenient, allocator));
      assertTrue(lenient.metrics().fallbacks() > 0, lenient.metrics().toString());
      CompiledPipelines strict = new CompiledPipelines(false, null, 0, broken);
      KilnException e = assertThrows(KilnException.class, () -> run(sql, strict, allocator));
      assertTrue(e.getMessage().contains("compiled mode: simulated compiler failure"), e.getMessage());
    }
  }

  private static List<String> run(String sql, CompiledPipelines bodies, org.apache.arrow.memory.BufferAllocator root) {
    io.kiln.logical.LogicalPlan plan = new io.kiln.optimizer.Optimizer().optimize(tables.plan(sql));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    io.kiln.physical.plan.PhysicalPlanner.Planned planned = io.kiln.physical.plan.PhysicalPlanner.planQuery(plan, 2);
    try (io.kiln.exec.ExecContext ctx = new io.kiln.exec.ExecContext(root, pool, 2)) {
      List<io.kiln.data.Batch> batches = io.kiln.physical.DagBuilder.build(planned.root(), planned.resolver(), bodies,
          ctx).run(ctx);
      List<String> out = new ArrayList<>();
      for (io.kiln.data.Batch b : batches) {
        for (int r = 0; r < b.rowCount(); r++) {
          List<Object> row = new ArrayList<>();
          for (int c = 0; c < plan.output().size(); c++) {
            row.add(io.kiln.data.Vectors.get(b.column(c), plan.output().get(c).type(), r));
          }
          out.add(row.toString());
        }
      }
      io.kiln.physical.Batches.closeAll(batches);
      java.util.Collections.sort(out);
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void explainCodegenPrintsNumberedSourceAndMethodSizes() {
    try (Kiln kiln = session(false)) {
      List<String> lines = new ArrayList<>();
      for (Object[] row : kiln.execute("EXPLAIN CODEGEN SELECT c_nation, count(*) FROM cust WHERE c_name LIKE 'a%' "
          + "GROUP BY c_nation").rows()) {
        lines.add((String) row[0]);
      }
      String text = String.join("\n", lines);
      assertTrue(text.contains("public final class KilnPipeline extends"), text);
      assertTrue(text.matches("(?s).*\\n\\s*1  // Generated by Kiln.*"), text);
      assertTrue(text.contains("bytecode per method"), text);
      assertTrue(text.matches("(?s).*segment0: \\d+ bytes.*"), text);
      assertTrue(text.contains("LikePattern"), "the LIKE is fused: " + text);
      assertTrue(text.contains("partial.group"), "the aggregation update is fused: " + text);
      assertTrue(!text.contains("run interpreted instead"), "every pipeline compiles in tests: " + text);
    }
    try (Kiln kiln = Kiln.builder().threads(1).compileMinRows(50_000).build()) {
      kiln.registerTable("cust", tables.catalog().get("cust"));
      String text = kiln.execute("EXPLAIN CODEGEN SELECT count(*) FROM cust WHERE c_name LIKE 'a%'").rows().stream()
          .map(row -> (String) row[0]).collect(java.util.stream.Collectors.joining("\n"));
      assertTrue(text.contains("fewer than 50000 rows when the query runs is run interpreted instead"), text);
    }
  }

  @Test
  void setSwitchesTheModeAndRejectsUnknownValues() {
    try (Kiln kiln = Modes.builder(ExecutionMode.INTERPRETED).threads(1).build()) {
      kiln.execute("SET kiln.execution.mode = 'compiled'");
      assertEquals(ExecutionMode.COMPILED, kiln.executionMode());
      KilnException bad = assertThrows(KilnException.class, () -> kiln.execute("SET kiln.execution.mode = 'fast'"));
      assertTrue(bad.getMessage().contains("'compiled' or 'interpreted'"), bad.getMessage());
      KilnException unknown = assertThrows(KilnException.class, () -> kiln.execute("SET kiln.other = 1"));
      assertTrue(unknown.getMessage().contains("kiln.other"), unknown.getMessage());
    }
  }

  /** Overflow in generated exact arithmetic is an error, not a wrapped value. */
  @Test
  void integerOverflowIsAnError() {
    try (Kiln kiln = session(false)) {
      KilnException e = assertThrows(KilnException.class,
          () -> kiln.execute("SELECT CAST(o_id AS BIGINT) * 9223372036854775807 FROM ord WHERE o_id > 100"));
      assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    }
  }
}
