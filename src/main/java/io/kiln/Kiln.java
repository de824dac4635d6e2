package io.kiln;

import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.datasource.parquet.ParquetTable;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.LogicalPlan;
import io.kiln.optimizer.Optimizer;
import io.kiln.physical.Batches;
import io.kiln.physical.PhysicalPlanner;
import io.kiln.physical.Pipeline;
import io.kiln.sql.SqlStatements;
import io.kiln.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An embedded Kiln session: a catalog of tables and views, a worker pool, and a root allocator
 * whose limit bounds the memory of all queries. Closing it fails if any Arrow memory leaked.
 */
public final class Kiln implements AutoCloseable {
  private final Catalog catalog = new Catalog();
  private final SqlStatements statements;
  private final BufferAllocator root;
  private final ExecutorService workers;
  private final int threads;
  private final Optimizer optimizer = new Optimizer();
  private final List<AutoCloseable> ownedTables = new ArrayList<>();

  private Kiln(Builder b) {
    this.threads = b.threads;
    this.root = new RootAllocator(b.memoryLimit);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(b.threads, r -> {
      Thread t = new Thread(r, "kiln-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.statements = new SqlStatements(catalog);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int threads = Runtime.getRuntime().availableProcessors();
    private long memoryLimit = Long.MAX_VALUE;

    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Bytes of Arrow memory all queries of the session may hold at once. */
    public Builder memoryLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("memory limit must be positive, got " + bytes);
      }
      this.memoryLimit = bytes;
      return this;
    }

    public Kiln build() {
      return new Kiln(this);
    }
  }

  public Catalog catalog() {
    return catalog;
  }

  public int threads() {
    return threads;
  }

  public void registerTable(String name, TableProvider provider) {
    catalog.register(name, provider);
  }

  /** A Parquet file, or a folder of Parquet files read as one table. */
  public void registerParquet(String name, Path path) {
    catalog.register(name, new ParquetTable(path));
  }

  /**
   * An in-memory table copied from Arrow batches (the caller keeps and closes its own); the copy
   * lives in the session's memory until the session closes.
   */
  public void registerArrow(String name, List<VectorSchemaRoot> batches) {
    if (batches.isEmpty()) {
      throw KilnException.binding("registerArrow(" + name + "): at least one batch is needed to know the schema");
    }
    io.kiln.datasource.memory.MemoryTable table = new io.kiln.datasource.memory.MemoryTable(
        batches.get(0).getSchema(), batches, root);
    synchronized (ownedTables) {
      ownedTables.add(table);
    }
    catalog.register(name, table);
  }

  public void registerCsv(String name, Path path) {
    catalog.register(name, new io.kiln.datasource.csv.CsvTable(path));
  }

  /** Runs one or more ;-separated statements and returns the last one's result. */
  public Result execute(String sql) {
    Result last = null;
    for (SqlStatements.Parsed statement : statements.parse(sql)) {
      SqlStatements.Action action = statements.bind(statement);
      if (action.query != null) {
        last = action.analyze ? explainAnalyze(action.query)
            : action.explain ? explainResult(action.query) : run(action.query);
      } else {
        last = new Result(List.of("status"), List.of(DataType.VARCHAR), List.<Object[]>of(new Object[] {action.message}));
      }
    }
    if (last == null) {
      throw KilnException.syntax("no statement to run");
    }
    return last;
  }

  private Result explainResult(LogicalPlan plan) {
    List<Object[]> rows = new ArrayList<>();
    for (String line : explain(plan).split("\n")) {
      rows.add(new Object[] {line});
    }
    return new Result(List.of("plan"), List.of(DataType.VARCHAR), rows);
  }

  /**
   * EXPLAIN ANALYZE: runs the query, then shows the plan, the row count and time, and for each
   * table read what its scans read and skipped during this query (for providers that count it).
   */
  private Result explainAnalyze(LogicalPlan plan) {
    java.util.Map<String, io.kiln.catalog.TableProvider> tables = new java.util.TreeMap<>();
    collectScans(plan, tables);
    collectScans(optimizer.optimize(plan), tables); // subqueries are plain inputs once decorrelated
    java.util.Map<String, java.util.Map<String, Long>> before = new java.util.HashMap<>();
    tables.forEach((name, t) -> before.put(name, t.scanCounters()));
    long start = System.nanoTime();
    Result r = run(plan);
    long micros = (System.nanoTime() - start) / 1000;
    List<Object[]> rows = new ArrayList<>();
    for (String line : explain(plan).split("\n")) {
      rows.add(new Object[] {line});
    }
    rows.add(new Object[] {"Execution: " + r.rowCount() + " rows in " + (micros / 1000.0) + " ms"});
    tables.forEach((name, t) -> {
      StringBuilder sb = new StringBuilder();
      t.scanCounters().forEach((counter, after) -> sb.append(sb.length() == 0 ? "" : ", ").append(counter)
          .append(' ').append(after - before.get(name).getOrDefault(counter, 0L)));
      if (sb.length() > 0) {
        rows.add(new Object[] {"Scan " + name + ": " + sb});
      }
    });
    return new Result(List.of("plan"), List.of(DataType.VARCHAR), rows);
  }

  private static void collectScans(LogicalPlan plan, java.util.Map<String, io.kiln.catalog.TableProvider> out) {
    if (plan instanceof io.kiln.logical.Scan) {
      io.kiln.logical.Scan s = (io.kiln.logical.Scan) plan;
      out.put(s.tableName(), s.provider());
    }
    for (LogicalPlan in : plan.inputs()) {
      collectScans(in, out);
    }
  }

  /** A lazily evaluated query over SQL text (one SELECT). */
  public DataFrame sql(String sql) {
    return new DataFrame(this, statements.planQuery(sql));
  }

  /** A DataFrame reading a registered table. */
  public DataFrame table(String name) {
    return sql("SELECT * FROM " + name);
  }

  /** Optimizes and runs a logical plan; the result as rows. */
  public Result run(LogicalPlan plan) {
    List<Object[]> rows = new ArrayList<>();
    Output out = execute(plan, (b, names, types) -> {
      for (int r = 0; r < b.rowCount(); r++) {
        Object[] row = new Object[types.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = Vectors.get(b.column(c), types.get(c), r);
        }
        rows.add(row);
      }
    });
    return new Result(out.names, out.types, rows);
  }

  /**
   * Optimizes and runs a logical plan; the result as Arrow batches with standard Arrow types
   * (Decimal, Date, Timestamp, ...) allocated from {@code allocator}. The caller closes them.
   */
  public List<VectorSchemaRoot> runArrow(LogicalPlan plan, BufferAllocator allocator) {
    List<VectorSchemaRoot> roots = new ArrayList<>();
    try {
      execute(plan, (b, names, types) -> roots.add(io.kiln.data.ArrowConversion.toArrow(b, names, types, allocator)));
    } catch (RuntimeException e) {
      roots.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return roots;
  }

  private interface BatchConsumer {
    void accept(Batch batch, List<String> names, List<DataType> types);
  }

  private static final class Output {
    final List<String> names = new ArrayList<>();
    final List<DataType> types = new ArrayList<>();
  }

  private Output execute(LogicalPlan plan, BatchConsumer consumer) {
    LogicalPlan optimized = optimizer.optimize(plan);
    List<Pipeline> pipelines = new PhysicalPlanner().plan(optimized);
    Output out = new Output();
    for (ColumnRef c : optimized.output()) {
      out.names.add(c.name());
      out.types.add(c.type());
    }
    try (BufferAllocator queryAllocator = root.newChildAllocator("query", 0, root.getLimit());
        ExecContext ctx = new ExecContext(queryAllocator, workers, threads)) {
      List<Batch> batches;
      try {
        batches = PhysicalPlanner.execute(pipelines, ctx);
      } catch (org.apache.arrow.memory.OutOfMemoryException e) {
        throw io.kiln.exec.Executor.outOfMemory("the result", e);
      }
      try {
        for (Batch b : batches) {
          consumer.accept(b, out.names, out.types);
        }
      } finally {
        Batches.closeAll(batches);
      }
    }
    return out;
  }

  /** The optimized logical plan and the pipelines, for EXPLAIN. */
  public String explain(LogicalPlan plan) {
    LogicalPlan optimized = optimizer.optimize(plan);
    StringBuilder sb = new StringBuilder("Logical plan:\n").append(plan.explain())
        .append("\nOptimized logical plan:\n").append(optimized.explain()).append("\nPhysical plan:\n");
    for (Pipeline p : new PhysicalPlanner().plan(optimized)) {
      p.explain(sb, 0, "Result");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    synchronized (ownedTables) {
      for (AutoCloseable t : ownedTables) {
        try {
          t.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot release an in-memory table", e);
        }
      }
      ownedTables.clear();
    }
    root.close();
  }
}
