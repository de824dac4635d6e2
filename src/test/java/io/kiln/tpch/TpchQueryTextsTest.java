package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.testing.DuckDbOracle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks our 22 query texts and {@link TpchAnswers} without the engine: DuckDB runs the texts on
 * SF 0.01 data from io.trino.tpch and must reproduce the shipped answers. A failure here means a
 * query text or the answer comparison is wrong, not Kiln.
 */
class TpchQueryTextsTest {
  @TempDir static Path scratch;
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void load() {
    duckDb = new DuckDbOracle(2);
    TpchDuckDbData.load(duckDb, 0.01, scratch);
  }

  @AfterAll
  static void close() {
    if (duckDb != null) {
      duckDb.close();
    }
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void duckDbReproducesShippedAnswer(int q) {
    DuckDbOracle.Answer answer = duckDb.queryWithColumns(TpchQueries.text(q));
    List<String> mismatches =
        TpchAnswers.compare("q" + q, TpchAnswers.expected(q), answer.columnNames(), answer.rows());
    assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
  }

  @Test
  void comparisonCatchesAWrongAnswer() {
    // Q1 with one group's count off by one must be reported, or the checks above prove nothing.
    DuckDbOracle.Answer answer = duckDb.queryWithColumns(TpchQueries.text(1));
    Object[] first = answer.rows().get(0).clone();
    first[9] = ((Number) first[9]).longValue() + 1;
    answer.rows().set(0, first);
    List<String> mismatches =
        TpchAnswers.compare("q1", TpchAnswers.expected(1), answer.columnNames(), answer.rows());
    assertEquals(1, mismatches.size(), () -> String.join("\n", mismatches));
  }
}
