package io.kiln;

import io.kiln.error.KilnException;
import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.datasource.objectstore.FetchStats;
import io.kiln.datasource.objectstore.S3Config;
import io.kiln.datasource.objectstore.S3Location;
import io.kiln.datasource.objectstore.S3Store;
import io.kiln.datasource.parquet.ParquetTable;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.LogicalPlan;
import io.kiln.optimizer.Optimizer;
import io.kiln.physical.Batches;
import io.kiln.physical.DagBuilder;
import io.kiln.physical.PipelineDag;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PhysicalPlanner;
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Kiln.class);
  private final Catalog catalog = new Catalog();
  private final SqlStatements statements;
  private final BufferAllocator root;
  private final ExecutorService workers;
  private final int threads;
  private final Optimizer optimizer;
  /** CREATE TABLE's, INSERT's and ingest's tables, held in the session's memory. */
  private final SessionTables tables;
  private final TableCommandRunner tableCommands;
  /** The calls running now, for {@link #cancelAll}. */
  private final java.util.Set<QueryControl> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean shutDown;
  /** Runs {@link #submit}ted queries, one thread each while they run. */
  private final ExecutorService queryThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kiln-query");
    t.setDaemon(true);
    return t;
  });
  private volatile ExecutionMode executionMode;
  private final io.kiln.codegen.CompiledPipelines compiledPipelines;
  private final S3Config s3Config;
  /** The cluster the session's queries run on; null: they run in this process. */
  private final io.kiln.distributed.client.ClusterClient cluster;
  private final long broadcastMaxRows;
  private final boolean runtimeFilters;
  /** How long a query waits for a worker to join a scheduler that has none (one just elected). */
  private static final long WORKERS_JOIN_WAIT_MILLIS = 15_000;
  /** Created at the first s3:// table, so sessions that never use S3 make no client and no requests. */
  private S3Store s3Store;
  private final io.kiln.observe.KilnMetrics metrics = io.kiln.observe.KilnMetrics.withJvm();
  private final io.kiln.observe.QueryOutcomes queryOutcomes = new io.kiln.observe.QueryOutcomes(metrics);
  /** Spans for its queries (off unless the builder or OTEL_* variables ask for them). */
  private final io.kiln.observe.Tracing tracing;
  /** What this session's scans read: kiln_rows_read_total, kiln_bytes_read_total. */
  private final io.kiln.catalog.ReadTotals reads = new io.kiln.catalog.ReadTotals();
  /** Bytes the session's queries spilled to disk, for {@code kiln_spill_bytes_total}. */
  private final java.util.concurrent.atomic.LongAdder spilledBytes = new java.util.concurrent.atomic.LongAdder();
  private final java.nio.file.Path spillDirectory;
  /** Null unless the builder asked for a metrics port. */
  private final io.kiln.observe.MetricsServer metricsServer;
  /** Null unless the builder asked for a dashboard port. */
  private final SessionDashboard dashboard;

  private Kiln(Builder b) {
    this.threads = b.threads;
    this.optimizer = new Optimizer(b.optimizerRules);
    this.executionMode = b.executionMode;
    this.compiledPipelines = new io.kiln.codegen.CompiledPipelines(b.compileFallback, b.codegenDumpDir,
        b.compileMinRows);
    this.spillDirectory = b.spillDirectory;
    this.root = new RootAllocator(org.apache.arrow.memory.AllocationListener.NOOP, b.memoryLimit,
        io.kiln.exec.ExactRounding.INSTANCE);
    this.tables = new SessionTables(catalog, root);
    this.tableCommands = new TableCommandRunner(tables);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(b.threads, r -> {
      Thread t = new Thread(r, "kiln-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.statements = new SqlStatements(catalog, new io.kiln.sql.FileTables() {
      @Override
      public TableProvider parquet(String location) {
        return S3Location.isS3(location) ? new ParquetTable(location, s3Store()) : new ParquetTable(Path.of(location));
      }

      @Override
      public TableProvider csv(String file, io.kiln.datasource.csv.CsvOptions options) {
        return new io.kiln.datasource.csv.CsvTable(Path.of(file), options);
      }
    });
    this.s3Config = b.s3Config;
    this.broadcastMaxRows = b.broadcastMaxRows;
    this.runtimeFilters = b.runtimeFilters;
    this.tracing = io.kiln.observe.Tracing.start(b.tracing, "kiln");
    this.cluster = b.cluster == null ? null
        : new io.kiln.distributed.client.ClusterClient(b.cluster, root, clusterAuth(b), tracing);
    compiledPipelines.metrics().exportTo(metrics);
    metrics.gauge("kiln_memory_reserved_bytes", "Arrow memory the session's queries hold.", root::getAllocatedMemory);
    metrics.exportReads(reads);
    metrics.counter("kiln_spill_bytes_total", "Bytes queries spilled to disk because their state outgrew the memory limit.",
        spilledBytes::sum);
    if (cluster != null) {
      metrics.counter("kiln_rpc_retries_total", "Calls to the scheduler retried after a passing failure, by gRPC method.",
          "method", cluster::retries);
    }
    this.metricsServer = b.metricsPort < 0 ? null : io.kiln.observe.MetricsServer.start("127.0.0.1", b.metricsPort,
        metrics);
    this.dashboard = b.dashboardPort < 0 ? null : new SessionDashboard(b.dashboardPort, b.traceUrl, metrics, threads,
        running::size, root::getAllocatedMemory);
  }

  /** Where the session serves its dashboard, or null if it was not asked to. */
  public String dashboardUrl() {
    return dashboard == null ? null : dashboard.url();
  }

  /**
   * The session's metrics (queries by outcome and duration, codegen, memory, the JVM's), for the
   * host application to scrape or serve; {@code Builder.metricsPort} serves them itself.
   */
  public io.kiln.observe.KilnMetrics metrics() {
    return metrics;
  }

  /** How far the session's running queries have got (for a progress bar; cheap enough to poll). */
  public Progress progress() {
    int stagesDone = 0;
    int stagesTotal = 0;
    int tasksDone = 0;
    int tasksTotal = 0;
    if (cluster != null) {
      for (io.kiln.distributed.proto.ClusterProtos.QueryStatus s : cluster.runningQueries()) {
        stagesDone += s.getStagesDone();
        stagesTotal += s.getStagesTotal();
        tasksDone += s.getTasksDone();
        tasksTotal += s.getTasksTotal();
      }
    }
    return new Progress(reads.rows(), reads.bytes(), stagesDone, stagesTotal, tasksDone, tasksTotal);
  }

  /** Where the session serves its metrics, or null if it was not asked to. */
  public String metricsUrl() {
    return metricsServer == null ? null : metricsServer.url();
  }

  /**
   * Counts how {@code call}, one query's statements ({@code sql}, or null for a plan), ended, and
   * traces it: a span for the query, current while it runs, so its planning, its pipelines and its
   * calls to a cluster nest under it.
   */
  private <T> T counted(String sql, java.util.function.Supplier<T> call) {
    long start = System.nanoTime();
    String status = io.kiln.observe.QueryOutcomes.FAILED;
    String id = java.util.UUID.randomUUID().toString();
    LOG.info("query {} started: {}", id, sql == null ? "a DataFrame plan" : io.kiln.observe.QueryLog.oneLine(sql));
    io.opentelemetry.api.trace.Span span = tracing.span("query").setAttribute("kiln.query_id", id).startSpan();
    String error = null;
    if (sql != null) {
      span.setAttribute("db.query.text", sql);
    }
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      T result = call.get();
      status = io.kiln.observe.QueryOutcomes.SUCCEEDED;
      return result;
    } catch (KilnException e) {
      if (e.kind() == KilnException.Kind.CANCELLED) {
        status = io.kiln.observe.QueryOutcomes.CANCELLED;
      }
      error = e.getMessage();
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getMessage());
      throw e;
    } catch (RuntimeException | Error e) {
      error = String.valueOf(e);
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      queryOutcomes.ended(status, start);
      span.setAttribute("kiln.status", status).end();
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (error == null) {
        LOG.info("query {} {} in {} ms", id, status, millis);
      } else {
        LOG.info("query {} {} in {} ms: {}", id, status, millis, error);
      }
    }
  }

  /** Runs {@code step} in a span of its own under the current one (the query's). */
  private <T> T traced(String name, java.util.function.Supplier<T> step) {
    io.opentelemetry.api.trace.Span span = tracing.span(name).startSpan();
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      return step.get();
    } catch (RuntimeException | Error e) {
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      span.end();
    }
  }

  private LogicalPlan optimize(LogicalPlan plan) {
    return traced("optimize", () -> optimizer.optimize(plan));
  }

  private PhysicalPlanner.Planned planPhysical(LogicalPlan optimized, int threads) {
    return traced("physical plan", () -> PhysicalPlanner.planQuery(optimized, threads, runtimeFilters));
  }

  private static io.kiln.distributed.rpc.ClusterAuth clusterAuth(Builder b) {
    io.kiln.distributed.rpc.ClusterAuth auth = b.clusterSecret == null ? io.kiln.distributed.rpc.ClusterAuth.NONE
        : io.kiln.distributed.rpc.ClusterAuth.sharedSecret(b.clusterSecret);
    return b.clusterTls == null ? auth
        : auth.withTls(io.kiln.distributed.rpc.MutualTls.fromPem(b.clusterTls[0], b.clusterTls[1], b.clusterTls[2]));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int threads = Runtime.getRuntime().availableProcessors();
    private long memoryLimit = Long.MAX_VALUE;
    private java.nio.file.Path spillDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    private ExecutionMode executionMode = ExecutionMode.COMPILED;
    private boolean compileFallback = true;
    private Path codegenDumpDir;
    private long compileMinRows = io.kiln.codegen.CompiledPipelines.DEFAULT_MIN_ROWS;
    private S3Config s3Config = S3Config.defaults();
    private String cluster;
    private int metricsPort = -1;
    private io.kiln.observe.TracingOptions tracing = io.kiln.observe.TracingOptions.NONE;
    private int dashboardPort = -1;
    private String traceUrl = "";
    private Path clusterSecret;
    private Path[] clusterTls;
    private long broadcastMaxRows = 1_000_000;
    private boolean runtimeFilters = true;
    private final List<io.kiln.optimizer.OptimizerRule> optimizerRules = new java.util.ArrayList<>();

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

    /**
     * Where queries spill hash tables that outgrow the memory limit (default: the JVM's temporary
     * directory). Each query spills into a directory of its own there, deleted when it ends.
     */
    public Builder spillDirectory(java.nio.file.Path directory) {
      this.spillDirectory = java.util.Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** {@code kiln.execution.mode}: compiled (generated code per pipeline) or interpreted. */
    public Builder executionMode(ExecutionMode mode) {
      this.executionMode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Whether a pipeline whose code cannot be generated or compiled runs interpreted (the default,
     * logged once and counted) or fails the query (for tests that must prove everything compiles).
     */
    public Builder compileFallback(boolean fallback) {
      this.compileFallback = fallback;
      return this;
    }

    /**
     * Compiled mode runs a pipeline interpreted when its source has fewer rows than this in a query
     * (default 100,000): generated code needs tens of thousands of rows before the JIT compiles it.
     * 0 compiles every pipeline (tests of the generated code use that).
     */
    public Builder compileMinRows(long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("compileMinRows must be 0 or more, got " + rows);
      }
      this.compileMinRows = rows;
      return this;
    }

    /** Writes every generated pipeline source into this folder (for reading and debugging). */
    public Builder codegenDumpDir(Path dir) {
      this.codegenDumpDir = dir;
      return this;
    }

    /** How to reach S3 for {@code s3://} tables; unset parts come from the AWS configuration chain. */
    public Builder s3(S3Config config) {
      this.s3Config = java.util.Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sends a span for each query, its planning and its pipelines (and, on a cluster, everything the
     * query does there) to an OTLP or Zipkin endpoint; the standard OTEL_* variables also turn it on.
     */
    public Builder tracing(io.kiln.observe.TracingOptions options) {
      this.tracing = java.util.Objects.requireNonNull(options, "options");
      return this;
    }

    /** Serves the session's metrics at http://127.0.0.1:PORT/metrics (0: any free port; see {@link Kiln#metricsUrl}). */
    public Builder metricsPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a metrics port is 0 to 65535, got " + port);
      }
      this.metricsPort = port;
      return this;
    }

    /**
     * Serves the session's live dashboard (its queries, their progress and plans, a cancel button)
     * at http://127.0.0.1:PORT/ (0: any free port; see {@link Kiln#dashboardUrl}).
     */
    public Builder dashboardPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a dashboard port is 0 to 65535, got " + port);
      }
      this.dashboardPort = port;
      return this;
    }

    /** The dashboard links each query to its trace here: a URL with {@code {traceId}} in it. */
    public Builder traceUrl(String template) {
      this.traceUrl = java.util.Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * Runs queries on the cluster whose scheduler listens at {@code HOST:PORT} instead of in this
     * process. Tables must be Parquet or CSV paths (or s3:// URIs) every worker can read.
     */
    public Builder cluster(String schedulerAddress) {
      this.cluster = java.util.Objects.requireNonNull(schedulerAddress, "schedulerAddress");
      return this;
    }

    /**
     * The file holding the cluster's shared secret, for a cluster whose processes listen beyond
     * loopback and so refuse calls without it.
     */
    public Builder clusterSecret(Path file) {
      this.clusterSecret = java.util.Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Mutual TLS with a cluster whose processes require it: this client's certificate and private
     * key (PEM, the key PKCS#8) and the CA that signed the cluster's certificates (PEM).
     */
    public Builder clusterTls(Path certificate, Path privateKey, Path trustedCa) {
      this.clusterTls = new Path[] {java.util.Objects.requireNonNull(certificate, "certificate"),
          java.util.Objects.requireNonNull(privateKey, "privateKey"), java.util.Objects.requireNonNull(trustedCa,
          "trustedCa")};
      return this;
    }

    /** On a cluster: a join's build side of at most this many rows (estimated) is broadcast, not shuffled. */
    public Builder broadcastMaxRows(long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("broadcastMaxRows must be 0 or more, got " + rows);
      }
      this.broadcastMaxRows = rows;
      return this;
    }

    /**
     * Whether scans skip rows by the key sets of joins above them once those joins' build sides
     * are done (on by default). Never changes an answer; turning it off shows what it saves.
     */
    public Builder runtimeFilters(boolean on) {
      this.runtimeFilters = on;
      return this;
    }

    /**
     * A rewrite of the logical plan run after the built-in rules, in the order added. It must keep
     * the query's result (the plan's output columns are checked); it sees the plan of every query,
     * EXPLAIN shows its work.
     */
    public Builder optimizerRule(io.kiln.optimizer.OptimizerRule rule) {
      optimizerRules.add(java.util.Objects.requireNonNull(rule, "rule"));
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

  public ExecutionMode executionMode() {
    return executionMode;
  }

  /** Compiled mode's counters: classes compiled, cache hits and misses, fallbacks, compile times. */
  public io.kiln.codegen.CodegenMetrics codegenMetrics() {
    return compiledPipelines.metrics();
  }

  /** The session's compiled-pipeline cache and compiler (used by EXPLAIN CODEGEN and benchmarks). */
  public io.kiln.codegen.CompiledPipelines compiledPipelines() {
    return compiledPipelines;
  }

  /** Changes the mode for the queries that start afterwards (also {@code SET kiln.execution.mode = ...}). */
  public void setExecutionMode(ExecutionMode mode) {
    this.executionMode = java.util.Objects.requireNonNull(mode, "mode");
  }

  public void registerTable(String name, TableProvider provider) {
    tables.replacedByOther(name);
    catalog.register(name, provider);
  }

  /**
   * Makes a user's scalar function callable by name from this session's SQL (it replaces a
   * built-in scalar function of the same name). DataFrames call it with {@link Functions#call}.
   */
  public void registerFunction(io.kiln.catalog.ScalarUdf function) {
    catalog.functions().register(function);
  }

  /**
   * Makes a user's aggregate function callable by name from this session's SQL (GROUP BY and
   * global aggregation; not as a window function). DataFrames call it with {@link Functions#aggregate}.
   */
  public void registerFunction(io.kiln.catalog.AggregateUdf function) {
    catalog.functions().register(function);
  }

  /**
   * A table a third party serves as plain Arrow batches (see {@link io.kiln.catalog.ArrowSource}),
   * read through at every query and converted to the engine's encoding as batches arrive.
   */
  public void registerTable(String name, io.kiln.catalog.ArrowSource source) {
    registerTable(name, new io.kiln.datasource.arrow.ArrowSourceTable(name, source));
  }

  /** A Parquet file, or a folder of Parquet files read as one table. */
  public void registerParquet(String name, Path path) {
    registerTable(name, new ParquetTable(path));
  }

  /**
   * A Parquet file or folder given as a local path or an S3 URI: {@code s3://bucket/key.parquet}
   * for one object, {@code s3://bucket/prefix/} for all {@code *.parquet} objects directly under
   * the prefix, read as one table.
   */
  public void registerParquet(String name, String location) {
    if (S3Location.isS3(location)) {
      registerTable(name, new ParquetTable(location, s3Store()));
    } else {
      registerParquet(name, Path.of(location));
    }
  }

  private synchronized S3Store s3Store() {
    if (s3Store == null) {
      s3Store = new S3Store(s3Config);
    }
    return s3Store;
  }

  /** Requests and bytes fetched from S3 so far by this session (all zero if it read no S3 table). */
  public synchronized FetchStats.Snapshot s3Stats() {
    return s3Store == null ? FetchStats.Snapshot.ZERO : s3Store.stats().snapshot();
  }

  /**
   * An in-memory table copied from Arrow batches (the caller keeps and closes its own); the copy
   * lives in the session's memory until the table is replaced or dropped, or the session closes.
   * SQL can INSERT into it like into a table made with CREATE TABLE.
   */
  public void registerArrow(String name, List<VectorSchemaRoot> batches) {
    if (batches.isEmpty()) {
      throw KilnException.binding("registerArrow(" + name + "): at least one batch is needed to know the schema");
    }
    tables.put(name, new io.kiln.datasource.memory.MemoryTable(batches.get(0).getSchema(), batches, root));
  }

  /**
   * Appends Arrow batches (copied; the caller keeps and closes its own) to the in-memory table
   * {@code name}, as INSERT does: the batches must have the table's column types, in its order.
   */
  public void appendArrow(String name, List<VectorSchemaRoot> batches) {
    if (batches.isEmpty()) {
      return;
    }
    try (io.kiln.datasource.memory.MemoryTable more = new io.kiln.datasource.memory.MemoryTable(
        batches.get(0).getSchema(), batches, root)) {
      TableProvider table = catalog.get(name);
      List<DataType> expected = io.kiln.datasource.memory.MemoryTable.typesOf(table.schema());
      List<DataType> given = io.kiln.datasource.memory.MemoryTable.typesOf(more.schema());
      if (!expected.equals(given)) {
        throw KilnException.binding("cannot append to table " + name + ": it has columns of types " + expected
            + ", the batches " + given);
      }
      tables.append(name, more.sharedBatches(root));
    }
  }

  public void registerCsv(String name, Path path) {
    registerTable(name, new io.kiln.datasource.csv.CsvTable(path));
  }

  /**
   * Runs one or more ;-separated statements and returns the last one's result. {@link #cancelAll}
   * or an interrupt of the calling thread cancels it.
   */
  public Result execute(String sql) {
    return controlled(sql, control -> execute(sql, control));
  }

  /**
   * Starts the statements on a thread of their own and returns at once; the handle waits for the
   * result or cancels the query. Queries run side by side, each with its own memory and counters.
   */
  public QueryHandle submit(String sql) {
    QueryControl control = newControl();
    java.util.concurrent.CompletableFuture<Result> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return counted(sql, () -> execute(sql, control));
      } finally {
        ended(control);
      }
    }, queryThreads);
    return new QueryHandle(result, control);
  }

  /** Cancels every query of the session that is running now. */
  public void cancelAll() {
    for (QueryControl c : running) {
      c.cancel();
    }
  }

  /**
   * Cancels every running query and refuses new ones with a CANCELLED error (the CLI's Ctrl-C);
   * {@link #close} still releases the session.
   */
  public void shutdown() {
    shutDown = true;
    cancelAll();
  }

  private QueryControl newControl() {
    QueryControl control = new QueryControl();
    running.add(control);
    if (shutDown) {
      running.remove(control);
      throw KilnException.cancelled("the session is shutting down");
    }
    return control;
  }

  private <T> T controlled(java.util.function.Function<QueryControl, T> call) {
    return controlled(null, call);
  }

  private <T> T controlled(String sql, java.util.function.Function<QueryControl, T> call) {
    QueryControl control = newControl();
    try {
      return counted(sql, () -> call.apply(control));
    } finally {
      ended(control);
    }
  }

  /**
   * A query ended. With none left running, no query can still read a table that was replaced or
   * dropped (a query is running from before it binds), so those tables' memory goes back.
   */
  private void ended(QueryControl control) {
    running.remove(control);
    if (running.isEmpty()) {
      tables.releaseRetired();
    }
  }

  private Result execute(String sql, QueryControl control) {
    control.sql(sql);
    if (dashboard == null) {
      return executeStatements(sql, control);
    }
    control.track(dashboard.start(sql, control::cancel));
    io.opentelemetry.api.trace.SpanContext trace = io.opentelemetry.api.trace.Span.current().getSpanContext();
    if (trace.isValid()) { // the query's span, when tracing is on
      control.tracked().traceId(trace.getTraceId());
    }
    try {
      Result r = executeStatements(sql, control);
      SessionDashboard.ended(control.tracked(), null);
      return r;
    } catch (RuntimeException e) {
      SessionDashboard.ended(control.tracked(), e);
      throw e;
    }
  }

  private Result executeStatements(String sql, QueryControl control) {
    Result last = null;
    for (SqlStatements.Parsed statement : traced("parse", () -> statements.parse(sql))) {
      control.check();
      SqlStatements.Action action = traced("bind", () -> statements.bind(statement));
      if (action.setting != null) {
        last = applySetting(action.setting, action.value);
      } else if (action.command != null) {
        last = runCommand(action.command, control);
      } else if (action.query != null) {
        last = action.explainCodegen ? lines("code", explainCodegen(action.query))
            : action.explainDistributed ? lines("plan", explainDistributed(action.query))
            : action.analyze ? explainAnalyze(action.query, control)
            : action.explain ? explainResult(action.query) : run(action.query, control);
      } else {
        last = new Result(List.of("status"), List.of(DataType.VARCHAR), List.<Object[]>of(new Object[] {action.message}));
      }
    }
    if (last == null) {
      throw KilnException.syntax("no statement to run");
    }
    return last;
  }

  /** CREATE TABLE, INSERT, DROP TABLE or COPY: each runs its rows as a query of the session's. */
  private Result runCommand(io.kiln.sql.TableCommands.Command command, QueryControl control) {
    TableCommandRunner.QueryRunner runner = (plan, consumer) -> execute(plan, control,
        (b, names, types) -> consumer.accept(b));
    if (command instanceof io.kiln.sql.TableCommands.CreateTable) {
      return tableCommands.create((io.kiln.sql.TableCommands.CreateTable) command, runner);
    }
    if (command instanceof io.kiln.sql.TableCommands.Insert) {
      return tableCommands.insert((io.kiln.sql.TableCommands.Insert) command, runner);
    }
    if (command instanceof io.kiln.sql.TableCommands.DropTable) {
      return tableCommands.drop((io.kiln.sql.TableCommands.DropTable) command);
    }
    if (command instanceof io.kiln.sql.TableCommands.Copy) {
      return tableCommands.copy((io.kiln.sql.TableCommands.Copy) command, runner);
    }
    throw KilnException.unsupported("statement " + command.getClass().getSimpleName());
  }

  private Result explainResult(LogicalPlan plan) {
    return lines("plan", explain(plan));
  }

  private static Result lines(String column, String text) {
    List<Object[]> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      rows.add(new Object[] {line});
    }
    return new Result(List.of(column), List.of(DataType.VARCHAR), rows);
  }

  /** SET name = value; the one setting so far is {@code kiln.execution.mode}. */
  private Result applySetting(String name, String value) {
    if (!name.equalsIgnoreCase("kiln.execution.mode")) {
      throw KilnException.unsupported("setting '" + name + "'; the settings are: kiln.execution.mode");
    }
    ExecutionMode mode = ExecutionMode.parse(value);
    setExecutionMode(mode);
    return lines("status", "kiln.execution.mode = " + mode.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Each pipeline's generated source with line numbers, and each method's bytecode size. */
  public String explainCodegen(LogicalPlan plan) {
    LogicalPlan optimized = optimize(plan);
    PhysicalPlanner.Planned planned = planPhysical(optimized, threads);
    try (BufferAllocator allocator = root.newChildAllocator("explain", 0, root.getLimit());
        ExecContext ctx = new ExecContext(allocator, workers, threads, reads)) {
      PipelineDag dag = DagBuilder.build(planned.root(), planned.resolver(), compiledPipelines, ctx);
      return io.kiln.codegen.CodegenExplain.explain(dag.pipelines(), compiledPipelines);
    }
  }

  /**
   * EXPLAIN ANALYZE: runs the query, then shows the plan, the row count and time, and for each
   * table read what its scans read and skipped during this query (for providers that count it).
   */
  private Result explainAnalyze(LogicalPlan plan, QueryControl control) {
    java.util.Map<String, io.kiln.catalog.TableProvider> tables = new java.util.TreeMap<>();
    LogicalPlan optimized = optimize(plan);
    collectScans(plan, tables);
    collectScans(optimized, tables); // subqueries are plain inputs once decorrelated
    java.util.Map<String, java.util.Map<String, Long>> before = new java.util.HashMap<>();
    tables.forEach((name, t) -> before.put(name, t.scanCounters()));
    long start = System.nanoTime();
    long[] resultRows = {0};
    Output out = executeOptimized(optimized, (b, names, types) -> resultRows[0] += b.rowCount(), control);
    long micros = (System.nanoTime() - start) / 1000;
    String text = out.clusterPlan != null
        ? "Logical plan:\n" + plan.explain() + "\nOptimized logical plan:\n" + optimized.explain()
            + "\nPhysical plan (" + executionMode.name().toLowerCase(java.util.Locale.ROOT) + ") on the cluster at "
            + cluster.address() + ":\n" + PipelineDag.tree(out.clusterPlan) + "\nStages, as they ran:\n"
            + out.clusterStages
        : planText(plan, optimized, out.dag, "Physical plan ("
        + executionMode.name().toLowerCase(java.util.Locale.ROOT) + "), with the rows each node produced",
        out.rowCounts);
    List<Object[]> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      rows.add(new Object[] {line});
    }
    rows.add(new Object[] {"Execution: " + resultRows[0] + " rows in " + (micros / 1000.0) + " ms, peak memory "
        + out.peakBytes + " bytes"});
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
    return controlled(control -> run(plan, control));
  }

  private Result run(LogicalPlan plan, QueryControl control) {
    List<Object[]> rows = new ArrayList<>();
    Output out = execute(plan, control, (b, names, types) -> {
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
      controlled(control -> execute(plan, control,
          (b, names, types) -> roots.add(io.kiln.data.ArrowConversion.toArrow(b, names, types, allocator))));
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
    /** What ran, with the rows each step produced, for EXPLAIN ANALYZE. */
    PipelineDag dag;
    io.kiln.exec.RowCounts rowCounts;
    /** The most Arrow memory the query held at once. */
    long peakBytes;
    /** On a cluster: the plan that ran, and its stages with their rows, bytes and time. */
    PhysicalNode.Result clusterPlan;
    String clusterStages;
  }

  private Output execute(LogicalPlan plan, QueryControl control, BatchConsumer consumer) {
    return executeOptimized(optimize(plan), consumer, control);
  }

  private Output executeOptimized(LogicalPlan optimized, BatchConsumer consumer, QueryControl control) {
    if (cluster != null) {
      return executeOnCluster(optimized, consumer, control);
    }
    PhysicalPlanner.Planned planned = planPhysical(optimized, threads);
    return deliver(optimized, consumer, control, (ctx, out) -> {
      PipelineDag dag = DagBuilder.build(planned.root(), planned.resolver(), pipelineBodies(), ctx);
      out.dag = dag;
      out.rowCounts = ctx.rowCounts();
      io.kiln.observe.QueryBoard.Tracked tracked = control.tracked();
      if (tracked != null) {
        tracked.progress(() -> SessionDashboard.stages(dag, ctx));
      }
      try {
        List<Batch> result = dag.run(ctx);
        if (tracked != null) {
          tracked.explained(dag.explain(ctx.rowCounts()), executionMode == ExecutionMode.COMPILED
              ? io.kiln.codegen.CodegenExplain.asRan(dag.pipelines())
              : "The query ran interpreted (SET kiln.execution.mode = compiled to generate code).");
        }
        return result;
      } catch (org.apache.arrow.memory.OutOfMemoryException e) {
        throw io.kiln.exec.DagExecutor.outOfMemory("the result", e);
      }
    });
  }

  /** Makes a query's result batches in {@code ctx}, noting on {@code out} what EXPLAIN ANALYZE shows. */
  @FunctionalInterface
  private interface ResultMaker {
    List<Batch> make(ExecContext ctx, Output out);
  }

  /**
   * Runs a query in a context of its own (cancellable through {@code control}), hands its result
   * batches to {@code consumer} and releases them.
   */
  private Output deliver(LogicalPlan optimized, BatchConsumer consumer, QueryControl control, ResultMaker maker) {
    Output out = new Output();
    for (ColumnRef c : optimized.output()) {
      out.names.add(c.name());
      out.types.add(c.type());
    }
    try (BufferAllocator queryAllocator = root.newChildAllocator("query", 0, root.getLimit());
        ExecContext ctx = new ExecContext(queryAllocator, workers, threads, reads)) {
      ctx.trace(tracing.tracer(), io.opentelemetry.context.Context.current());
      ctx.spillTo(spillDirectory, spilledBytes);
      List<Batch> batches;
      control.attach(ctx);
      try {
        batches = maker.make(ctx, out);
      } finally {
        control.detach();
      }
      try {
        for (Batch b : batches) {
          consumer.accept(b, out.names, out.types);
        }
      } finally {
        Batches.closeAll(batches);
      }
      out.peakBytes = queryAllocator.getPeakMemoryAllocation();
    }
    return out;
  }

  /** The query planned for the cluster's slots, with its exchanges. */
  private PhysicalNode.Result clusterPlan(LogicalPlan optimized) {
    return clusterPlan(planPhysical(optimized, 1), clusterSlots());
  }

  /**
   * The slots of the cluster's workers. A scheduler just elected (or started) has none until the
   * workers join it, within a few of their heartbeats: a query waits that long before failing.
   */
  private int clusterSlots() {
    long deadline = System.nanoTime() + WORKERS_JOIN_WAIT_MILLIS * 1_000_000;
    while (true) {
      int slots = cluster.info().getSlots();
      if (slots > 0) {
        return slots;
      }
      if (System.nanoTime() - deadline > 0) {
        throw KilnException.cluster("no worker has joined the scheduler at " + cluster.address() + " in the "
            + WORKERS_JOIN_WAIT_MILLIS / 1000 + " s this query waited");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw KilnException.cancelled("the query was cancelled while it waited for workers to join the scheduler");
      }
    }
  }

  private PhysicalNode.Result clusterPlan(PhysicalPlanner.Planned planned, int slots) {
    return (PhysicalNode.Result) io.kiln.physical.plan.ClusterPlanner.distribute(planned, slots, broadcastMaxRows);
  }

  /**
   * EXPLAIN DISTRIBUTED: the plan for the cluster and its stages with their tasks; in a session
   * that runs in this process, for a cluster with as many slots as the session has threads.
   */
  public String explainDistributed(LogicalPlan plan) {
    LogicalPlan optimized = optimize(plan);
    int slots = cluster != null ? clusterSlots() : threads;
    PhysicalPlanner.Planned planned = planPhysical(optimized, 1);
    PhysicalNode.Result distributed = clusterPlan(planned, slots);
    String where = cluster != null ? "the cluster at " + cluster.address() + " (" + slots + " slots)"
        : "a cluster of " + slots + " slots (this session runs in one process)";
    return "Optimized logical plan:\n" + optimized.explain() + "\nPhysical plan for " + where + ":\n"
        + PipelineDag.tree(distributed) + "\nStages:\n"
        + io.kiln.distributed.scheduler.StageDag.cut(distributed).explain(planned.resolver(), slots);
  }

  private Output executeOnCluster(LogicalPlan optimized, BatchConsumer consumer, QueryControl control) {
    PhysicalPlanner.Planned planned = planPhysical(optimized, 1);
    PhysicalNode.Result plan = clusterPlan(planned, clusterSlots());
    List<io.kiln.distributed.proto.ClusterProtos.TableDefinition> tables = new ArrayList<>();
    // The tables the plan was made with: registered ones and those table functions opened.
    io.kiln.physical.plan.TableResolver resolver = planned.resolver();
    for (String name : new java.util.TreeSet<>(io.kiln.physical.plan.PlanNodes.find(plan, PhysicalNode.Scan.class)
        .stream().map(PhysicalNode.Scan::table).toList())) {
      tables.add(io.kiln.distributed.TableDefinitions.of(name, resolver.table(name)));
    }
    io.kiln.distributed.proto.ClusterProtos.ExecutionMode mode = executionMode == ExecutionMode.COMPILED
        ? io.kiln.distributed.proto.ClusterProtos.ExecutionMode.EXECUTION_MODE_COMPILED
        : io.kiln.distributed.proto.ClusterProtos.ExecutionMode.EXECUTION_MODE_INTERPRETED;
    return deliver(optimized, consumer, control, (ctx, out) -> {
      io.kiln.distributed.client.ClusterClient.Ran ran = cluster.run(
          control.sql() != null ? control.sql() : optimized.explain(), plan, tables, mode,
          io.kiln.distributed.proto.ClusterProtos.CodegenSettings.newBuilder()
              .setMinRows(compiledPipelines.minRows()).setStrict(!compiledPipelines.fallback()).build(), ctx);
      out.clusterStages = ran.stages();
      out.clusterPlan = plan;
      if (control.tracked() != null) {
        control.tracked().explained(PipelineDag.tree(plan) + "\nStages, as they ran:\n" + ran.stages(),
            "Generated on the workers; the scheduler's dashboard shows the cluster's queries.");
      }
      return ran.batches();
    });
  }

  /** Interpreted or compiled pipeline bodies, per the session's execution mode. */
  private io.kiln.physical.PipelineBodies pipelineBodies() {
    return executionMode == ExecutionMode.COMPILED ? compiledPipelines : io.kiln.physical.PipelineBodies.INTERPRETED;
  }

  /** The optimized logical plan and the pipelines, for EXPLAIN. */
  public String explain(LogicalPlan plan) {
    LogicalPlan optimized = optimize(plan);
    if (cluster != null) {
      PhysicalNode.Result distributed = clusterPlan(optimized);
      return "Logical plan:\n" + plan.explain() + "\nOptimized logical plan:\n" + optimized.explain()
          + "\nPhysical plan for the cluster at " + cluster.address() + ":\n"
          + PipelineDag.tree(distributed)
          + "\nStages:\n" + io.kiln.distributed.scheduler.StageDag.cut(distributed);
    }
    PhysicalPlanner.Planned planned = planPhysical(optimized, threads);
    try (BufferAllocator allocator = root.newChildAllocator("explain", 0, root.getLimit());
        ExecContext ctx = new ExecContext(allocator, workers, threads, reads)) {
      return planText(plan, optimized, DagBuilder.build(planned.root(), planned.resolver(), pipelineBodies(), ctx),
          "Physical plan", null);
    }
  }

  /** The plans as EXPLAIN shows them; with {@code counts}, each step's output rows (EXPLAIN ANALYZE). */
  private static String planText(LogicalPlan plan, LogicalPlan optimized, PipelineDag dag, String physicalHeader,
      io.kiln.exec.RowCounts counts) {
    return "Logical plan:\n" + plan.explain() + "\nOptimized logical plan:\n" + optimized.explain() + '\n'
        + physicalHeader + ":\n" + dag.explain(counts);
  }

  @Override
  public void close() {
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    shutdown();
    queryThreads.shutdownNow();
    workers.shutdownNow();
    tables.close();
    synchronized (this) {
      if (s3Store != null) {
        s3Store.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    tracing.close();
    root.close();
  }
}
