package io.kiln.sql;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import io.kiln.testing.SuiteSessions;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window queries over TPC-H tables (SF 0.01, Parquet written by Kiln's generator), from
 * {@code src/test/resources/windows-tpch/}: each runs on Kiln in every session the subclass opens
 * and on DuckDB over the same files, and the answers must agree (in order under an outer ORDER
 * BY). Closing the sessions fails if a query leaked Arrow memory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WindowTpchSuite {
  static final double SCALE_FACTOR = 0.01;
  private SuiteSessions sessions;
  private DuckDbOracle duckDb;

  abstract SuiteSessions openSessions();

  static List<SqlScript.Query> queries() {
    return SqlScript.resourceQueries("windows-tpch");
  }

  @BeforeAll
  void setUp(@TempDir Path data) {
    TpchGenerator.generate(SCALE_FACTOR, data, progress -> {});
    duckDb = new DuckDbOracle(2);
    sessions = openSessions();
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      sessions.registerParquet(table, data.resolve(table + ".parquet"));
    }
  }

  @AfterAll
  void tearDown() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      if (sessions != null) {
        sessions.close();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> windowQueries() {
    return queries().stream().map(q -> DynamicTest.dynamicTest(q.name(), () -> {
      List<Object[]> expected = duckDb.query(q.lastStatement());
      for (Map.Entry<String, Kiln> session : sessions.all().entrySet()) {
        Result actual = session.getValue().execute(q.sql());
        ResultAssert.assertSameRows(session.getKey() + ": " + q.sql(), actual, expected,
            ResultAssert.hasOuterOrderBy(q.lastStatement()));
      }
    }));
  }
}
