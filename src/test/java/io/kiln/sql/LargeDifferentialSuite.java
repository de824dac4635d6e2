package io.kiln.sql;

import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import io.kiln.testing.SuiteSessions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test at scale: every query under {@code src/test/resources/differential-large/}
 * runs on Kiln and on DuckDB over the same Parquet files of a few million rows with many row groups
 * ({@link LargeDifferentialTables}), so aggregation, join and set-operation state is built from
 * many morsels and batches and then merged. Answers must agree (in order when the outermost query
 * has ORDER BY).
 *
 * <p>The subclass opens the sessions and says which of them each query runs on. Each session
 * lasts for the whole class and is closed at the end, which fails if any query leaked Arrow
 * memory; the time Kiln took in each session is printed then.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LargeDifferentialSuite {
  /** Queries known to give a wrong answer on Kiln, by name, each with the bug it shows. */
  static final Map<String, String> KNOWN_WRONG = Map.of();

  private Path data;
  private SuiteSessions sessions;
  private DuckDbOracle duckDb;
  private final Map<String, DuckDbOracle.Answer> expected = new HashMap<>();
  private final Map<String, Long> kilnMillis = new LinkedHashMap<>();
  private long startNanos;
  private long startCpuNanos;

  /** The sessions the queries run on. */
  abstract SuiteSessions openSessions();

  /** The names of the sessions {@code query} runs on. */
  abstract List<String> configurations(SqlScript.Query query);

  /** Which queries of the corpus run; all of them unless a subclass says otherwise. */
  Predicate<SqlScript.Query> selected() {
    return q -> true;
  }

  @BeforeAll
  void setUp(@TempDir Path dir) {
    startNanos = System.nanoTime();
    startCpuNanos = processCpuNanos();
    data = dir;
    LargeDifferentialTables.writeParquet(data);
    duckDb = new DuckDbOracle(2);
    sessions = openSessions();
    for (String table : LargeDifferentialTables.NAMES) {
      Path file = LargeDifferentialTables.file(data, table);
      duckDb.registerParquet(table, file);
      sessions.registerParquet(table, file);
    }
  }

  /** Where the tables' Parquet files are. */
  Path data() {
    return data;
  }

  /** The sessions {@link #openSessions} opened. */
  SuiteSessions sessions() {
    return sessions;
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
      if (!kilnMillis.isEmpty()) {
        StringBuilder sb = new StringBuilder(String.format(
            "%s: %d s in all (process CPU %d s); Kiln's time per session:", getClass().getSimpleName(),
            (System.nanoTime() - startNanos) / 1_000_000_000L, (processCpuNanos() - startCpuNanos) / 1_000_000_000L));
        kilnMillis.forEach((k, ms) -> sb.append(String.format("%n  %-26s %7d ms", k, ms)));
        System.out.println(sb);
      }
    }
  }

  @TestFactory
  Stream<DynamicNode> largeDifferential() {
    Predicate<SqlScript.Query> selected = selected();
    return LargeDifferentialTables.queryFiles().stream().map(file -> {
      List<SqlScript.Query> queries = SqlScript.read(file).stream().filter(selected).toList();
      return DynamicContainer.dynamicContainer(file.getFileName().toString(), queries.stream().map(q ->
          DynamicContainer.dynamicContainer(q.name(), configurations(q).stream().map(config ->
              DynamicTest.dynamicTest(config, () -> check(q, config))))));
    });
  }

  private void check(SqlScript.Query query, String config) {
    Assumptions.assumeFalse(KNOWN_WRONG.containsKey(query.name()),
        () -> "known wrong answer: " + KNOWN_WRONG.get(query.name()));
    List<Object[]> want = expected(query).rows();
    long start = System.nanoTime();
    Result actual = sessions.get(config).execute(query.sql());
    kilnMillis.merge(config, (System.nanoTime() - start) / 1_000_000, Long::sum);
    ResultAssert.assertSameRows(config + ": " + query.sql(), actual, want,
        ResultAssert.hasOuterOrderBy(query.lastStatement()));
  }

  /** DuckDB's answer, computed once per query (its DDL statements run first). */
  DuckDbOracle.Answer expected(SqlScript.Query query) {
    DuckDbOracle.Answer answer = expected.get(query.name());
    if (answer == null) {
      List<String> statements = query.statements();
      for (String ddl : statements.subList(0, statements.size() - 1)) {
        duckDb.execute(ddl);
      }
      answer = duckDb.queryWithColumns(query.lastStatement());
      expected.put(query.name(), answer);
    }
    return answer;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
