package io.kiln.tpch;

import io.kiln.Kiln;
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
  private static Kiln kiln;
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void generateAndRegister() {
    TpchGenerator.generate(0.1, data, progress -> {});
    kiln = Kiln.builder().threads(2).build();
    TpchDriver.registerTables(kiln, data);
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
      if (kiln != null) {
        kiln.close(); // throws if any query leaked Arrow memory
      }
    }
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void sameRowsAsDuckDb(int q) {
    String sql = TpchQueries.text(q);
    List<Object[]> expected = duckDb.query(sql);
    Result result = kiln.execute(sql);
    ResultAssert.assertSameRows(sql, result, expected, ResultAssert.hasOuterOrderBy(sql));
  }
}
