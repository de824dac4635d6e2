package io.kiln.bench;

import io.kiln.codegen.CodegenMetrics;
import java.util.List;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Janino work done by the measured query, from Kiln's own codegen metrics, reported by JMH next to
 * the time as per-iteration totals ({@code pipelinesCompiled}, {@code compileMillis}); with one
 * query per iteration (single-shot mode) they are per-query values.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CompileCounters {
  public long pipelinesCompiled;
  public double compileMillis;

  private long compiledBefore;
  private int timesBefore;

  @Setup(Level.Iteration)
  public void reset() {
    pipelinesCompiled = 0;
    compileMillis = 0;
  }

  void before(CodegenMetrics metrics) {
    compiledBefore = metrics.compiledClasses();
    timesBefore = metrics.compileNanos().size();
  }

  void after(CodegenMetrics metrics) {
    pipelinesCompiled += metrics.compiledClasses() - compiledBefore;
    List<Long> times = metrics.compileNanos();
    for (int i = timesBefore; i < times.size(); i++) {
      compileMillis += times.get(i) / 1e6;
    }
  }
}
