package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * approx_count_distinct estimates: DuckDB's sketch is not Kiln's, so answers are checked against
 * the exact count(DISTINCT) within 5% (the sketch's standard error is about 1.6%), in both modes
 * and at 1 and 4 threads, so that partial sketches of many morsels are merged; columns of every
 * kind, NULLs (not counted), FILTER, groups and an empty input (0, as count gives).
 */
class ApproxCountDistinctTest {
  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void write() {
    file = dir.resolve("a.parquet");
    try (DuckDbOracle duckDb = new DuckDbOracle()) {
      duckDb.execute("COPY (SELECT i AS id, i % 7 AS g, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 150000 END AS k,"
          + " CAST(i % 20000 AS DOUBLE) / 4 AS d, 's' || CAST(i % 90000 AS VARCHAR) AS s,"
          + " DATE '2000-01-01' + CAST(i % 3000 AS INTEGER) AS dt, i % 3 = 0 AS b"
          + " FROM range(0, 400000) r(i)) TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 25000)");
    }
  }

  static Stream<Arguments> runs() {
    return Modes.all().stream().flatMap(m -> Stream.of(Arguments.of(m, 1), Arguments.of(m, 4)));
  }

  @ParameterizedTest(name = "{0}, {1} threads")
  @MethodSource("runs")
  void estimatesAreWithinFivePercentOfTheExactCounts(ExecutionMode mode, int threads) {
    try (Kiln kiln = Modes.builder(mode).threads(threads).build()) {
      kiln.registerParquet("a", file);
      Object[] row = kiln.execute("SELECT approx_count_distinct(k), count(DISTINCT k), approx_count_distinct(d),"
          + " count(DISTINCT d), approx_count_distinct(s), count(DISTINCT s), approx_count_distinct(dt),"
          + " count(DISTINCT dt), approx_count_distinct(b), approx_count_distinct(k) FILTER (WHERE g = 1),"
          + " count(DISTINCT k) FILTER (WHERE g = 1) FROM a").rows().get(0);
      for (int c = 0; c < 8; c += 2) {
        near((Long) row[c + 1], (Long) row[c], "column " + c / 2);
      }
      assertEquals(2L, row[8], "two booleans are counted exactly");
      near((Long) row[10], (Long) row[9], "with FILTER");

      List<Object[]> groups = kiln.execute("SELECT g, approx_count_distinct(s), count(DISTINCT s) FROM a GROUP BY g"
          + " ORDER BY g").rows();
      assertEquals(7, groups.size());
      for (Object[] g : groups) {
        near((Long) g[2], (Long) g[1], "group " + g[0]);
      }
      assertEquals(0L, kiln.execute("SELECT approx_count_distinct(k) FROM a WHERE id < 0").rows().get(0)[0]);
    }
  }

  private static void near(long exact, long estimate, String what) {
    assertTrue(Math.abs(estimate - exact) <= 0.05 * exact, what + ": estimate " + estimate + ", exact " + exact);
  }
}
