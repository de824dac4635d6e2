package io.kiln.testing;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import java.util.List;

/**
 * Correctness suites run in both execution modes; compiled mode with fallback off and every
 * pipeline compiled, however small its input, so nothing hides.
 */
public final class Modes {
  private Modes() {}

  public static List<ExecutionMode> all() {
    return List.of(ExecutionMode.INTERPRETED, ExecutionMode.COMPILED);
  }

  public static Kiln.Builder builder(ExecutionMode mode) {
    return Kiln.builder().executionMode(mode).compileFallback(false).compileMinRows(0);
  }
}
