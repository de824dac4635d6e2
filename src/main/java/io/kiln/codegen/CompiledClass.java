package io.kiln.codegen;

import java.lang.reflect.Constructor;
import java.util.Map;

/** A compiled pipeline class with what was measured when compiling it. */
public record CompiledClass(Constructor<?> constructor, Map<String, Integer> methodSizes, long compileNanos) {
  public int largestMethod() {
    int max = 0;
    for (int s : methodSizes.values()) {
      max = Math.max(max, s);
    }
    return max;
  }
}
