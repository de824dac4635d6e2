package io.kiln.codegen;

import io.kiln.error.KilnException;
import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.exec.DagExecutor;
import io.kiln.physical.InterpretedBody;
import io.kiln.physical.Operator;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.Pipeline;
import io.kiln.physical.PipelineBodies;
import io.kiln.physical.PipelineBody;
import io.kiln.physical.Sink;
import io.kiln.physical.agg.HashAggregateSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.arrow.memory.OutOfMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled mode: each pipeline becomes a generated class, compiled once per distinct source text
 * and kept in a bounded cache shared by the session's queries. If generation or compilation fails,
 * the failure is logged once (with where the source was written) and the pipeline runs
 * interpreted, unless fallback is off (tests), when it is an error.
 *
 * <p>A pipeline whose source has fewer than {@code minRows} rows in a query runs interpreted: a
 * new class starts in HotSpot's bytecode interpreter and is JIT-compiled only after tens of
 * thousands of loop iterations, so on a small input it runs many times slower than the
 * interpreted operators, whose code every query shares and keeps compiled.
 */
public final class CompiledPipelines implements PipelineBodies {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledPipelines.class);
  static final int CACHE_ENTRIES = 512;

  /** The default {@link #minRows}: above HotSpot's 60,000 loop iterations before a first JIT compile. */
  public static final long DEFAULT_MIN_ROWS = 100_000;

  private final boolean fallback;
  private final Path dumpDir;
  private final long minRows;
  /** Build sides probed in one loop, up to this many rows; tests of the phased probe set -1. */
  private volatile int oneLoopProbeMaxRows = ProbeGenerator.CACHE_RESIDENT_ROWS;
  private final CodegenMetrics metrics;
  private final Set<String> logged;
  /** Source text → compiled class; a future so concurrent queries compile a shape only once. */
  private final Map<String, CompletableFuture<CompiledClass>> cache;

  private final java.util.function.Function<GeneratedSource, CompiledClass> compiler;

  /** Whether a pipeline that cannot be compiled runs interpreted (else it is an error). */
  public boolean fallback() {
    return fallback;
  }

  /**
   * These pipelines with other settings, sharing their compiled classes and metrics: a worker runs
   * each query's tasks with the settings of the session that submitted it.
   */
  public CompiledPipelines with(boolean fallback, long minRows) {
    if (fallback == this.fallback && minRows == this.minRows) {
      return this;
    }
    return new CompiledPipelines(this, fallback, minRows);
  }

  private CompiledPipelines(CompiledPipelines shared, boolean fallback, long minRows) {
    if (minRows < 0) {
      throw new IllegalArgumentException("the minimum rows to compile a pipeline must be 0 or more, got " + minRows);
    }
    this.fallback = fallback;
    this.minRows = minRows;
    this.dumpDir = shared.dumpDir;
    this.oneLoopProbeMaxRows = shared.oneLoopProbeMaxRows;
    this.metrics = shared.metrics;
    this.logged = shared.logged;
    this.cache = shared.cache;
    this.compiler = shared.compiler;
  }

  /** Rows a pipeline's source needs for the pipeline to be compiled. */
  public long minRows() {
    return minRows;
  }

  /** Pipelines with inputs of fewer than {@code minRows} rows run interpreted (0: every pipeline is compiled). */
  public CompiledPipelines(boolean fallback, Path dumpDir, long minRows) {
    this(fallback, dumpDir, minRows, JaninoCompiler::compile);
  }

  /** With another compiler (tests use one that always fails, to exercise the fallback). */
  CompiledPipelines(boolean fallback, Path dumpDir, long minRows,
      java.util.function.Function<GeneratedSource, CompiledClass> compiler) {
    if (minRows < 0) {
      throw new IllegalArgumentException("the minimum rows to compile a pipeline must be 0 or more, got " + minRows);
    }
    this.fallback = fallback;
    this.dumpDir = dumpDir;
    this.minRows = minRows;
    this.compiler = compiler;
    this.metrics = new CodegenMetrics();
    this.logged = ConcurrentHashMap.newKeySet();
    this.cache = new LinkedHashMap<String, CompletableFuture<CompiledClass>>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<CompiledClass>> eldest) {
        return size() > CACHE_ENTRIES;
      }
    };
  }

  public CodegenMetrics metrics() {
    return metrics;
  }

  /**
   * Probes build sides of up to {@code rows} rows in one loop, larger ones in phases (-1: all in
   * phases). For tests, which cover both with small tables.
   */
  void oneLoopProbeMaxRows(int rows) {
    this.oneLoopProbeMaxRows = rows;
  }

  /** Forgets every compiled class (benchmarks measure cold compiles this way). */
  public void clearCache() {
    synchronized (cache) {
      cache.clear();
    }
  }

  /** The pipeline as it runs into {@code sink}: without fused sink steps the sink cannot take. */
  Pipeline asRun(Pipeline pipeline, Sink sink) {
    if (pipeline.aggregate() != null && !(sink instanceof HashAggregateSink)) {
      pipeline = pipeline.into(null);
    }
    if (pipeline.joinBuild() != null && !(sink instanceof io.kiln.physical.join.JoinBuildSink)) {
      pipeline = pipeline.intoJoinBuild(null);
    }
    if (pipeline.topN() != null && !(sink instanceof io.kiln.physical.sink.SortSink)) {
      pipeline = pipeline.intoTopN(null);
    }
    return pipeline;
  }

  @Override
  public PipelineBody.Factory factory(Pipeline pipeline, Sink sink, ExecContext ctx, long inputRows) {
    pipeline = asRun(pipeline, sink);
    if (!PipelineGenerator.worthCompiling(pipeline)) {
      return InterpretedBody.factory(pipeline, sink);
    }
    if (inputRows >= 0 && inputRows < minRows) {
      metrics.smallInput();
      return InterpretedBody.factory(pipeline, sink);
    }
    Compiled compiled;
    try {
      compiled = compile(pipeline);
    } catch (CodegenException e) {
      if (!fallback) {
        throw new KilnException(KilnException.Kind.EXECUTION, "compiled mode: " + e.getMessage()
            + " (pipeline: " + pipeline.source().describe() + ")", e);
      }
      metrics.fallback();
      if (logged.add(e.getMessage())) {
        LOG.warn("Pipeline over {} runs interpreted: {}", pipeline.source().describe(), e.getMessage());
      }
      return InterpretedBody.factory(pipeline, sink);
    }
    return new CompiledFactory(pipeline, sink, compiled);
  }

  /** A generated source and its compiled class. */
  public record Compiled(GeneratedSource source, CompiledClass compiled) {}

  /** Generates and compiles (or finds in the cache) a pipeline's class, split into methods if needed. */
  public Compiled compile(Pipeline pipeline) {
    GeneratedSource source = PipelineGenerator.generate(pipeline, false, oneLoopProbeMaxRows);
    CompiledClass c;
    try {
      c = cached(source);
    } catch (CodegenException e) {
      if (!overJvmLimits(e)) {
        throw e; // a bug in the generated code: splitting would hide it (and once ran a stale row)
      }
      c = null; // Janino's limits (64 KB per method, constant pool) bite large single methods first: split
    }
    if (c == null || c.largestMethod() > MethodSizes.JIT_LIMIT) {
      metrics.split();
      source = PipelineGenerator.generate(pipeline, true, oneLoopProbeMaxRows);
      c = cached(source);
      if (c.largestMethod() > MethodSizes.JIT_LIMIT) {
        throw new CodegenException("a generated method has " + c.largestMethod() + " bytes of bytecode, over"
            + " HotSpot's " + MethodSizes.JIT_LIMIT + "-byte JIT limit even with one method per step"
            + dumped(source));
      }
    }
    return new Compiled(source, c);
  }

  /** Whether Janino refused the class for the JVM's size limits, which splitting into methods avoids. */
  static boolean overJvmLimits(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("grows beyond 64 KB") || m.contains("grown past JVM limit"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The cache key: the source without its comments. Comments quote the plan (column ids, literal
   * values) for readers; the code itself depends only on the plan's shape, so queries that differ
   * in literals or in column ids share a class. Comments take whole lines, so the line numbers of a
   * cached class hold for every source with its key.
   */
  static String shape(String text) {
    // By hand: every query computes this for each of its pipelines, and a regular expression
    // took longer than generating the source.
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int from = 0;
    for (int slash = text.indexOf('/'); slash >= 0 && slash + 1 < n; slash = text.indexOf('/', from)) {
      int end = -1;
      if (text.charAt(slash + 1) == '/') {
        int eol = text.indexOf('\n', slash);
        end = eol < 0 ? n : eol;
      } else if (text.startsWith("/**", slash)) {
        int close = text.indexOf("*/", slash + 3);
        int eol = text.indexOf('\n', slash);
        end = close >= 0 && (eol < 0 || close < eol) ? close + 2 : -1; // one-line doc comments only
      }
      if (end < 0) {
        out.append(text, from, slash + 1);
        from = slash + 1;
      } else {
        out.append(text, from, slash);
        from = end;
      }
    }
    return out.append(text, from, n).toString();
  }

  private CompiledClass cached(GeneratedSource source) {
    CompletableFuture<CompiledClass> mine = new CompletableFuture<>();
    CompletableFuture<CompiledClass> existing;
    synchronized (cache) {
      existing = cache.putIfAbsent(shape(source.text()), mine);
    }
    if (existing != null) {
      metrics.hit();
      try {
        return existing.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CodegenException("interrupted while waiting for a pipeline compile", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof CodegenException ? (CodegenException) e.getCause()
            : new CodegenException(e.getCause().toString(), e.getCause());
      }
    }
    metrics.miss();
    if (dumpDir != null) {
      dump(source);
    }
    try {
      CompiledClass c = compiler.apply(source);
      metrics.compiled(c);
      mine.complete(c);
      return c;
    } catch (CodegenException e) {
      CodegenException withSource = new CodegenException(e.getMessage() + dumped(source), e.getCause());
      mine.completeExceptionally(withSource);
      throw withSource;
    }
  }

  /** Writes the source where a developer can read it; returns " (source: path)" for messages. */
  private String dumped(GeneratedSource source) {
    Path p = dump(source);
    return p == null ? "" : " (source: " + p + ")";
  }

  private Path dump(GeneratedSource source) {
    try {
      Path dir = dumpDir != null ? dumpDir : Path.of(System.getProperty("java.io.tmpdir"), "kiln-codegen");
      Files.createDirectories(dir);
      Path file = dir.resolve(source.className() + "_" + sha(source.text()) + ".java");
      Files.writeString(file, source.text());
      return file;
    } catch (IOException e) {
      LOG.warn("cannot write generated source: {}", e.toString());
      return null;
    }
  }

  private static String sha(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One generated instance per worker thread, with its own interpreted join operators. */
  private static final class CompiledFactory implements PipelineBody.Factory {
    private final Pipeline pipeline;
    private final Sink sink;
    private final Compiled compiled;

    CompiledFactory(Pipeline pipeline, Sink sink, Compiled compiled) {
      this.pipeline = pipeline;
      this.sink = sink;
      this.compiled = compiled;
    }

    @Override
    public PipelineBody create(ExecContext ctx) {
      List<Integer> embedded = compiled.source().embeddedOperators();
      Operator[] ops = new Operator[embedded.size()];
      for (int i = 0; i < ops.length; i++) {
        OperatorFactory f = pipeline.operators().get(embedded.get(i));
        ops[i] = f.create(ctx);
      }
      java.util.concurrent.atomic.LongAdder[] stepRows = new java.util.concurrent.atomic.LongAdder[pipeline.operators()
          .size()];
      for (int k = 0; k < stepRows.length; k++) {
        stepRows[k] = ctx.rowCounts().counter(pipeline.operators().get(k).nodeId());
      }
      PipelineBody body;
      try {
        body = (PipelineBody) compiled.compiled().constructor().newInstance(compiled.source().refs(), ops, stepRows,
            ctx.allocator());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate a generated pipeline", e);
      }
      String where = "compiled pipeline over " + pipeline.source().describe() + " into " + sink.describe();
      return new PipelineBody() {
        @Override
        public void push(Batch batch, Sink.Local local) {
          try {
            body.push(batch, local);
          } catch (OutOfMemoryException e) {
            throw DagExecutor.outOfMemory(where, e);
          }
        }

        @Override
        public void finish(Sink.Local local) {
          try {
            body.finish(local);
          } catch (OutOfMemoryException e) {
            throw DagExecutor.outOfMemory(where, e);
          }
        }
      };
    }

    @Override
    public String describe() {
      return "compiled (" + compiled.compiled().methodSizes().size() + " methods, largest "
          + compiled.compiled().largestMethod() + " bytes)";
    }

    @Override
    public String generatedSource() {
      return compiled.source().text();
    }
  }
}
