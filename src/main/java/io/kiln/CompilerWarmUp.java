package io.kiln;

import io.kiln.datasource.memory.MemoryTable;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms Janino up on a background thread when the JVM's first compiled-mode session that asks for
 * it ({@link Kiln.Builder#compilerWarmUp}) starts. In a fresh JVM Janino's own code starts in
 * HotSpot's bytecode interpreter: on TPC-H pipelines the first class took ~170 ms of CPU, the next
 * ones ~10 ms, and only after a couple of hundred classes did a class take its warm ~2-3 ms.
 * Compiling the pipelines of a few queries shaped like TPC-H's (scan, filter, project, join probe,
 * join build, grouped and global aggregation, top-N) that many times lets a session's own
 * pipelines compile at nearly the warm cost.
 *
 * <p>It runs in a private session with its own tiny tables, class cache and metrics, so no
 * session's results, caches or counters change; it only generates and compiles (EXPLAIN CODEGEN),
 * it runs no query. It costs about 2 s of one core once per JVM (1.6-2.3 s measured), of which
 * nearly 1 s is loading the engine and Janino that a first query would pay for anyway: a trade of
 * CPU for latency. In CompileTimeBenchmarks on a busy 2-core machine it did not lower the median
 * (the benchmark's own warm-up iterations warm Janino as well, and this thread was still running
 * when measuring began), hence off by default.
 */
final class CompilerWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(CompilerWarmUp.class);
  /**
   * Classes to compile. After 100-200 warm-up classes, TPC-H pipelines compiled at a median of
   * 2.7-3.7 ms of CPU instead of 6 (the first 80 classes; measured on a busy 2-core machine, so only
   * roughly); the first round alone, which loads the engine, is half the cost.
   */
  static final int CLASSES = 150;
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  static final List<String> QUERIES = List.of(
      "SELECT flag, day, sum(qty), sum(price * (1 - disc)), sum(price * (1 - disc) * (1 + disc)), avg(ratio), count(*)"
          + " FROM facts WHERE day <= DATE '1998-09-02' GROUP BY flag, day ORDER BY flag, day",
      "SELECT sum(price * disc) FROM facts"
          + " WHERE day >= DATE '1994-01-01' AND day < DATE '1995-01-01' AND disc BETWEEN 0.05 AND 0.07 AND qty < 24",
      "SELECT d.name, f.id, sum(f.price * (1 - f.disc)) AS revenue FROM facts f JOIN dims d ON f.k = d.k"
          + " WHERE d.grp = 3 AND f.day < DATE '1995-03-15' GROUP BY d.name, f.id ORDER BY revenue DESC LIMIT 10",
      "SELECT d.name, extract(year FROM f.day) AS y, sum(f.price * (1 - f.disc) - p.cost * f.qty)"
          + " FROM facts f JOIN dims d ON f.k = d.k JOIN parts p ON f.id = p.id AND f.k = p.k"
          + " WHERE p.label LIKE '%green%' GROUP BY d.name, extract(year FROM f.day) ORDER BY d.name, y DESC",
      "SELECT f.id, f.flag, CASE WHEN f.ratio > 0.5 THEN f.price ELSE f.qty END AS v FROM facts f"
          + " WHERE f.k IN (SELECT k FROM facts GROUP BY k HAVING sum(qty) > 300) ORDER BY v DESC, f.id LIMIT 100");

  private CompilerWarmUp() {}

  /** Starts the warm-up on a daemon thread, the first time only. */
  static void startOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      long start = System.nanoTime();
      try {
        int compiled = run(CLASSES);
        LOG.debug("Janino warmed up: {} classes in {} ms", compiled, (System.nanoTime() - start) / 1_000_000);
      } catch (RuntimeException e) {
        // Queries compile as they would have without it, only slower at first: worth a warning, not a failure.
        LOG.warn("Janino warm-up stopped: {}", e.toString(), e);
      }
    }, "kiln-compiler-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * Compiles the queries' pipelines over and over, with an empty class cache each time, until
   * {@code classes} were compiled; returns how many were.
   */
  static int run(int classes) {
    try (RootAllocator allocator = new RootAllocator();
        Kiln kiln = Kiln.builder().threads(1).compilerWarmUp(false).build()) {
      List<MemoryTable> tables = new ArrayList<>();
      try {
        register(kiln, tables, "facts", allocator, new Schema(Arrays.asList(col("id", DataType.INTEGER),
                col("k", DataType.BIGINT), col("qty", DataType.decimal(12, 2)), col("price", DataType.decimal(12, 2)),
                col("disc", DataType.decimal(12, 2)), col("flag", DataType.VARCHAR), col("day", DataType.DATE),
                col("ratio", DataType.DOUBLE))),
            new Object[] {1, 10L, new BigDecimal("17.00"), new BigDecimal("21168.23"), new BigDecimal("0.04"), "N",
                LocalDate.parse("1996-03-13"), 0.25},
            new Object[] {2, 20L, null, new BigDecimal("45983.16"), new BigDecimal("0.09"), "R", null, null});
        register(kiln, tables, "dims", allocator, new Schema(Arrays.asList(col("k", DataType.BIGINT),
                col("name", DataType.VARCHAR), col("grp", DataType.INTEGER))),
            new Object[] {10L, "ALGERIA", 3}, new Object[] {20L, null, 1});
        register(kiln, tables, "parts", allocator, new Schema(Arrays.asList(col("id", DataType.INTEGER),
                col("k", DataType.BIGINT), col("label", DataType.VARCHAR), col("cost", DataType.decimal(12, 2)))),
            new Object[] {1, 10L, "forest green", new BigDecimal("771.64")});
        List<io.kiln.logical.LogicalPlan> plans = new ArrayList<>();
        for (String sql : QUERIES) {
          plans.add(kiln.sql(sql).logicalPlan());
        }
        int compiled = 0;
        while (compiled < classes) {
          kiln.compiledPipelines().clearCache();
          long before = kiln.codegenMetrics().compiledClasses();
          for (int q = 0; q < plans.size(); q++) {
            String explained = kiln.explainCodegen(plans.get(q));
            int failed = explained.indexOf("runs interpreted:");
            if (failed >= 0) {
              throw new IllegalStateException("a warm-up pipeline did not compile: "
                  + explained.substring(failed, explained.indexOf('\n', failed)) + " (query: " + QUERIES.get(q) + ")");
            }
          }
          long round = kiln.codegenMetrics().compiledClasses() - before;
          if (round == 0) {
            throw new IllegalStateException("the warm-up queries compile no pipeline");
          }
          compiled += (int) round;
        }
        return compiled;
      } finally {
        for (MemoryTable t : tables) {
          t.close();
        }
      }
    }
  }

  private static void register(Kiln kiln, List<MemoryTable> tables, String name, RootAllocator allocator,
      Schema schema, Object[]... rows) {
    MemoryTable t = MemoryTable.fromRows(schema, Arrays.asList(rows), allocator);
    tables.add(t);
    kiln.registerTable(name, t);
  }

  private static Field col(String name, DataType type) {
    return new Field(name, type.toFieldType(true), null);
  }
}
