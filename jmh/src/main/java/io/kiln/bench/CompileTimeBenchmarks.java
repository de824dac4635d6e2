package io.kiln.bench;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Compiled mode's own cost: a TPC-H query run with Kiln's class cache cleared before every run
 * ({@code cold}, so each pipeline is generated and compiled by Janino) and with it kept ({@code warm},
 * where nothing should be compiled). The data is TPC-H SF 0.01, generated into a temporary folder,
 * so the run itself is a few milliseconds and the difference is compilation. Alongside the time,
 * {@link CompileCounters} reports the pipelines compiled and Janino's milliseconds; the per-pipeline
 * compile-time percentiles of the whole trial are printed at its end ("compile ms per pipeline"),
 * then those of the measurement iterations alone, elapsed and the compiling thread's CPU time (on a
 * machine shared with other work, the elapsed time mostly measures waiting for a core).
 */
@State(Scope.Benchmark)
// One query per iteration, so CompileCounters' per-iteration totals are per-query values. The warm-up
// iterations absorb Janino's own first-use cost in a fresh JVM (hundreds of ms), which is not per pipeline.
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS, JvmFlags.UNSAFE_ALLOCATOR, JvmFlags.UNSAFE_ACCESS,
    JvmFlags.NO_NULL_CHECK_FOR_GET, JvmFlags.MICRO_HEAP})
@Threads(1)
public class CompileTimeBenchmarks {
  private static final double SCALE_FACTOR = 0.01;

  @Param({"1", "3", "6", "9", "18"})
  public int query;

  private Path dataDir;
  private Kiln kiln;
  private String sql;
  /** How many classes were compiled before the first measurement iteration (-1: not reached yet). */
  private int compiledBeforeMeasuring = -1;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dataDir = Files.createTempDirectory("kiln-bench-tpch");
    TpchGenerator.generate(SCALE_FACTOR, dataDir, progress -> { });
    // SF 0.01 tables are below the default compileMinRows; this benchmark is about compiling them
    kiln = Kiln.builder().threads(1).executionMode(ExecutionMode.COMPILED).compileMinRows(0).build();
    TpchDriver.registerTables(kiln, dataDir);
    sql = TpchQueries.text(query);
  }

  @Setup(Level.Iteration)
  public void markMeasurement(IterationParams iteration) {
    if (compiledBeforeMeasuring < 0 && iteration.getType() == IterationType.MEASUREMENT) {
      compiledBeforeMeasuring = kiln.codegenMetrics().compileNanos().size();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    System.out.println("codegen: " + kiln.codegenMetrics());
    List<Long> nanos = kiln.codegenMetrics().compileNanos();
    List<Long> cpuNanos = kiln.codegenMetrics().compileCpuNanos();
    System.out.println("compile ms per pipeline: " + percentiles(nanos));
    int from = Math.max(0, compiledBeforeMeasuring);
    System.out.println("compile ms per pipeline, measurement iterations: " + percentiles(nanos.subList(from, nanos.size()))
        + "; compiling thread's CPU ms: " + (cpuNanos.size() == nanos.size()
            ? percentiles(cpuNanos.subList(from, cpuNanos.size())) : "not measured"));
    kiln.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (UncheckedIOException e) {
      // A temporary folder left behind is not worth failing the run for.
    }
  }

  /** Runs before each cold invocation only (outside the timed part). */
  @State(Scope.Thread)
  public static class EmptyCache {
    @Setup(Level.Invocation)
    public void clear(CompileTimeBenchmarks bench) {
      bench.kiln.compiledPipelines().clearCache();
    }
  }

  @Benchmark
  public Result cold(EmptyCache emptyCache, CompileCounters counters) {
    return measured(counters);
  }

  @Benchmark
  public Result warm(CompileCounters counters) {
    return measured(counters);
  }

  private Result measured(CompileCounters counters) {
    counters.before(kiln.codegenMetrics());
    Result r = kiln.execute(sql);
    counters.after(kiln.codegenMetrics());
    return r;
  }

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "none compiled";
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    return String.format(Locale.ROOT, "n=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f", sorted.size(), at(sorted, 0.50),
        at(sorted, 0.90), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
  }

  private static double at(List<Long> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
  }
}
