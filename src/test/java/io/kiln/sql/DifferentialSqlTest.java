package io.kiln.sql;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.Modes;
import java.util.EnumMap;
import java.util.Map;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query under {@code src/test/resources/differential/} runs on Kiln and on DuckDB over the
 * same Parquet files; the answers must agree (in order when the outermost query has ORDER BY).
 * DDL statements before a query's last statement run on both engines.
 */
class DifferentialSqlTest {
  @TempDir static Path data;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void setUp() {
    DifferentialTables.writeParquet(data);
    duckDb = new DuckDbOracle(2);
    for (ExecutionMode mode : Modes.all()) {
      sessions.put(mode, Modes.builder(mode).threads(2).build());
    }
    for (String table : DifferentialTables.NAMES) {
      duckDb.registerParquet(table, DifferentialTables.file(data, table));
      for (Kiln kiln : sessions.values()) {
        kiln.registerParquet(table, DifferentialTables.file(data, table));
      }
    }
  }

  @AfterAll
  static void tearDown() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      for (Kiln kiln : sessions.values()) {
        kiln.close(); // throws if any query leaked Arrow memory
      }
      sessions.clear();
    }
  }

  @TestFactory
  Stream<DynamicNode> differential() {
    return DifferentialTables.queryFiles().stream().map(file -> {
      List<SqlScript.Query> queries = SqlScript.read(file);
      return DynamicContainer.dynamicContainer(file.getFileName().toString(),
          queries.stream().map(q -> DynamicTest.dynamicTest(q.name(), () -> check(q))));
    });
  }

  private static void check(SqlScript.Query query) {
    List<String> statements = query.statements();
    for (String ddl : statements.subList(0, statements.size() - 1)) {
      duckDb.execute(ddl);
    }
    List<Object[]> expected = duckDb.query(query.lastStatement());
    // Kiln gets the whole script in one call: multi-statement execution is part of what is tested.
    for (Map.Entry<ExecutionMode, Kiln> session : sessions.entrySet()) {
      Result actual = session.getValue().execute(query.sql());
      ResultAssert.assertSameRows(session.getKey() + " mode: " + query.sql(), actual, expected,
          ResultAssert.hasOuterOrderBy(query.lastStatement()));
    }
  }
}
