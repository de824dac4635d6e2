package io.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Janino warm-up compiles what it says, and leaves sessions' own caches and counters alone. */
class CompilerWarmUpTest {
  /** Also guards the warm-up queries against generator changes: any fallback there is an error. */
  @Test
  void compilesEveryWarmUpQueryWithoutFallingBack() {
    int compiled = CompilerWarmUp.run(1);
    assertTrue(compiled >= CompilerWarmUp.QUERIES.size(),
        "each warm-up query has at least one compiled pipeline, got " + compiled + " classes");
    assertTrue(CompilerWarmUp.run(2 * compiled) >= 2 * compiled, "it keeps going until the classes asked for");
  }

  @Test
  void aSessionsCountersStartAtZeroWhileTheWarmUpRuns() {
    try (Kiln kiln = Kiln.builder().threads(1).executionMode(ExecutionMode.COMPILED).build()) {
      CompilerWarmUp.run(3);
      assertEquals(0, kiln.codegenMetrics().compiledClasses());
      assertEquals(0, kiln.codegenMetrics().cacheMisses());
    }
  }
}
