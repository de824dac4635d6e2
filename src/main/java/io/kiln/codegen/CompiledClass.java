package io.kiln.codegen;

import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * A compiled pipeline class with what was measured when compiling it: the time it took, and the
 * compiling thread's CPU time (-1 if the JVM cannot measure it), which other processes on a busy
 * machine inflate far less than the elapsed time.
 */
public record CompiledClass(Constructor<?> constructor, Map<String, Integer> methodSizes, long compileNanos,
    long compileCpuNanos) {
  /** The largest method that runs per batch or per row (the constructor runs once, so it may be big). */
  public int largestMethod() {
    int max = 0;
    for (java.util.Map.Entry<String, Integer> m : methodSizes.entrySet()) {
      if (!m.getKey().equals("<init>")) {
        max = Math.max(max, m.getValue());
      }
    }
    return max;
  }
}
