package io.kiln.sql;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import io.kiln.testing.SuiteSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query under {@code src/test/resources/differential/} runs on Kiln and on DuckDB over the
 * same Parquet files; the answers must agree (in order when the outermost query has ORDER BY).
 * DDL statements before a query's last statement run on both engines. Each query runs on every
 * session the subclass opens; a session is closed at the end, which fails if a query leaked
 * Arrow memory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DifferentialSuite {
  private SuiteSessions sessions;
  private DuckDbOracle duckDb;
  /** The tables' files, and the files queries write ({@code ${dir}} in a query). */
  private Path data;

  /** The sessions every query runs on. */
  abstract SuiteSessions openSessions();

  /** The sessions the queries run on (for a subclass's own tests). */
  SuiteSessions sessions() {
    return sessions;
  }

  /** Whether this suite runs the queries of {@code file} (all of them, unless a subclass says otherwise). */
  boolean runs(Path file) {
    return true;
  }

  @BeforeAll
  void setUp(@TempDir Path data) {
    this.data = data;
    DifferentialTables.writeParquet(data);
    DifferentialTables.writeFiles(data);
    duckDb = new DuckDbOracle(2);
    sessions = openSessions();
    for (String table : DifferentialTables.NAMES) {
      duckDb.registerParquet(table, DifferentialTables.file(data, table));
      sessions.registerParquet(table, DifferentialTables.file(data, table));
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
  Stream<DynamicNode> differential() {
    // -Dkiln.differential.files=22_ runs only the files whose names start so (when working on one area)
    String only = System.getProperty("kiln.differential.files", "");
    return DifferentialTables.queryFiles().stream().filter(this::runs)
        .filter(f -> f.getFileName().toString().startsWith(only)).map(file -> {
      List<SqlScript.Query> queries = SqlScript.read(file);
      return DynamicContainer.dynamicContainer(file.getFileName().toString(),
          queries.stream().map(q -> DynamicTest.dynamicTest(q.name(), () -> check(q))));
    });
  }

  private void check(SqlScript.Query script) {
    SqlScript.Query query = script.in(data);
    List<String> statements = query.statements();
    for (String ddl : statements.subList(0, statements.size() - 1)) {
      duckDb.execute(ddl);
    }
    List<Object[]> expected = duckDb.query(query.lastStatement());
    // Kiln gets the whole script in one call: multi-statement execution is part of what is tested.
    for (Map.Entry<String, Kiln> session : sessions.all().entrySet()) {
      Result actual = session.getValue().execute(query.sql());
      ResultAssert.assertSameRows(session.getKey() + ": " + query.sql(), actual, expected,
          ResultAssert.hasOuterOrderBy(query.lastStatement()));
    }
  }
}
