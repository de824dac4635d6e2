package io.kiln.tpch;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.Modes;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All 22 queries at SF 0.1, Kiln against DuckDB reading the same Parquet files: a bigger scale
 * than the shipped answers, so multi-batch, multi-row-group and parallel paths are exercised.
 */
class TpchDuckDbTest {
  @TempDir static Path data;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  /** 32 MiB: every query's joins fit; Q18's aggregation by order key does not, and spills. */
  private static final long LIMIT = 16L << 20;
  private static final Map<ExecutionMode, Kiln> limitedSessions = new EnumMap<>(ExecutionMode.class);
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void generateAndRegister() {
    TpchGenerator.generate(0.1, data, progress -> {});
    for (ExecutionMode mode : Modes.all()) {
      Kiln kiln = Modes.builder(mode).threads(2).build();
      sessions.put(mode, kiln);
      TpchDriver.registerTables(kiln, data);
      Kiln limited = Modes.builder(mode).threads(2).memoryLimit(LIMIT).spillDirectory(data.resolve("spill")).build();
      limitedSessions.put(mode, limited);
      TpchDriver.registerTables(limited, data);
    }
    duckDb = new DuckDbOracle(2);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
  }

  @AfterAll
  static void close() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      for (Kiln kiln : sessions.values()) {
        kiln.close(); // throws if any query leaked Arrow memory
      }
      sessions.clear();
      for (Kiln kiln : limitedSessions.values()) {
        kiln.close();
      }
      limitedSessions.clear();
    }
  }

  static Stream<Arguments> queries() {
    return Modes.all().stream().flatMap(m -> TpchQueries.all().stream().map(q -> Arguments.of(m, q)));
  }

  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void sameRowsAsDuckDb(ExecutionMode mode, int q) {
    String sql = TpchQueries.text(q);
    List<Object[]> expected = duckDb.query(sql);
    Result result = sessions.get(mode).execute(sql);
    ResultAssert.assertSameRows(sql, result, expected, ResultAssert.hasOuterOrderBy(sql));
  }

  /** Under a memory limit the large aggregations and join builds spill to disk; the answers stay DuckDB's and no spill file stays. */
  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void sameRowsAsDuckDbUnderAMemoryLimit(ExecutionMode mode, int q) throws java.io.IOException {
    String sql = TpchQueries.text(q);
    List<Object[]> expected = duckDb.query(sql);
    Result result = limitedSessions.get(mode).execute(sql);
    ResultAssert.assertSameRows(sql, result, expected, ResultAssert.hasOuterOrderBy(sql));
    if (q == 10 || q == 21) {
      long spilled = io.kiln.testing.ExplainCounters.sum(limitedSessions.get(mode), sql, "bytes spilled", "HashJoin");
      org.junit.jupiter.api.Assertions.assertTrue(spilled > 0, "no join of Q" + q + " spilled");
    }
    if (q == 18) {
      long spilled = io.kiln.testing.ExplainCounters.sum(limitedSessions.get(mode), sql, "bytes spilled");
      org.junit.jupiter.api.Assertions.assertTrue(spilled > 0, "Q18's aggregation by order key did not spill");
    }
    Path spill = data.resolve("spill");
    if (java.nio.file.Files.exists(spill)) {
      try (Stream<Path> left = java.nio.file.Files.list(spill)) {
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), left.toList(), "spill files left behind");
      }
    }
  }
}
