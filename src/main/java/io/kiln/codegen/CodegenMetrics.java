package io.kiln.codegen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of compiled mode: classes compiled, cache hits and misses, fallbacks, compile times. */
public final class CodegenMetrics {
  private final AtomicLong compiled = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong cacheMisses = new AtomicLong();
  private final AtomicLong fallbacks = new AtomicLong();
  private final AtomicLong splits = new AtomicLong();
  private final AtomicLong smallInputs = new AtomicLong();
  private final List<Long> compileNanos = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> compileCpuNanos = Collections.synchronizedList(new ArrayList<>());
  /** Told each compile time, in nanoseconds: a metrics histogram, once exported. */
  private volatile java.util.function.LongConsumer compileListener = nanos -> {};

  void compiled(CompiledClass c) {
    compiled.incrementAndGet();
    compileNanos.add(c.compileNanos());
    compileListener.accept(c.compileNanos());
    if (c.compileCpuNanos() >= 0) {
      compileCpuNanos.add(c.compileCpuNanos());
    }
  }

  void hit() {
    cacheHits.incrementAndGet();
  }

  void miss() {
    cacheMisses.incrementAndGet();
  }

  void fallback() {
    fallbacks.incrementAndGet();
  }

  void split() {
    splits.incrementAndGet();
  }

  void smallInput() {
    smallInputs.incrementAndGet();
  }

  /** Classes compiled by Janino (cache misses that succeeded, including split retries). */
  public long compiledClasses() {
    return compiled.get();
  }

  public long cacheHits() {
    return cacheHits.get();
  }

  public long cacheMisses() {
    return cacheMisses.get();
  }

  /** Pipelines that ran interpreted because their code could not be generated or compiled. */
  public long fallbacks() {
    return fallbacks.get();
  }

  /** Pipelines regenerated with one method per step because a method was over the JIT limit. */
  public long splits() {
    return splits.get();
  }

  /** Pipelines that ran interpreted because their input was too small for generated code to pay off. */
  public long smallInputs() {
    return smallInputs.get();
  }

  /** Compile times so far, in nanoseconds, in the order they happened. */
  public List<Long> compileNanos() {
    synchronized (compileNanos) {
      return List.copyOf(compileNanos);
    }
  }

  /**
   * The compiling threads' CPU times so far, in nanoseconds, in order (empty if the JVM cannot
   * measure them): on a busy machine, the part of {@link #compileNanos} that was compiling.
   */
  public List<Long> compileCpuNanos() {
    synchronized (compileCpuNanos) {
      return List.copyOf(compileCpuNanos);
    }
  }

  /**
   * These counters as Prometheus metrics in {@code metrics}: {@code kiln_codegen_compiles_total},
   * {@code kiln_codegen_cache_hits_total}, {@code kiln_codegen_fallbacks_total} and the histogram
   * {@code kiln_codegen_compile_seconds} (of compiles from now on).
   */
  public void exportTo(io.kiln.observe.KilnMetrics metrics) {
    metrics.counter("kiln_codegen_compiles_total", "Pipeline classes compiled by Janino.", compiled::get);
    metrics.counter("kiln_codegen_cache_hits_total", "Pipelines whose class was already compiled.", cacheHits::get);
    metrics.counter("kiln_codegen_fallbacks_total", "Pipelines that ran interpreted because their code could not be"
        + " generated or compiled.", fallbacks::get);
    io.prometheus.metrics.core.metrics.Histogram seconds = metrics.seconds("kiln_codegen_compile_seconds",
        "Time to generate and compile a pipeline's class.");
    compileListener = nanos -> seconds.observe(nanos / 1e9);
  }

  @Override
  public String toString() {
    return "compiled=" + compiled + " hits=" + cacheHits + " misses=" + cacheMisses + " fallbacks=" + fallbacks
        + " splits=" + splits + " smallInputs=" + smallInputs;
  }
}
