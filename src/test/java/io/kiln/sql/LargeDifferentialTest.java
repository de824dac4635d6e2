package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test at scale: every query under {@code src/test/resources/differential-large/}
 * runs on Kiln and on DuckDB over the same Parquet files of a few million rows with many row groups
 * ({@link LargeDifferentialTables}), so aggregation, join and set-operation state is built by
 * several workers from many morsels and batches and then merged. Answers must agree (in order when
 * the outermost query has ORDER BY).
 *
 * <p>Every query runs in both execution modes at 2 threads; a query whose text holds a line
 * {@code -- threads: 1 2 4} runs at each thread count listed instead. Each (mode, threads) pair has
 * one session for the whole class, closed at the end, which fails if any query leaked Arrow memory.
 */
class LargeDifferentialTest {
  private static final Pattern THREADS = Pattern.compile("(?m)^\\s*--\\s*threads:\\s*([0-9 ,]+)$");
  private static final List<Integer> DEFAULT_THREADS = List.of(2);
  private static final List<Integer> ALL_THREADS = List.of(1, 2, 4);

  /** Queries known to give a wrong answer on Kiln, by name, each with the bug it shows. */
  private static final Map<String, String> KNOWN_WRONG = Map.of();

  @TempDir static Path data;
  private static final Map<String, Kiln> sessions = new LinkedHashMap<>();
  private static final Map<String, DuckDbOracle.Answer> expected = new HashMap<>();
  private static final Map<String, Long> kilnMillis = new LinkedHashMap<>();
  private static DuckDbOracle duckDb;
  private static DuckDbOracle scrambled;
  private static long startNanos;
  private static long startCpuNanos;

  @BeforeAll
  static void setUp() {
    startNanos = System.nanoTime();
    startCpuNanos = processCpuNanos();
    LargeDifferentialTables.writeParquet(data);
    duckDb = new DuckDbOracle(2);
    // Reads the same rows in another order with one thread: ties under ORDER BY show up as a
    // different answer (see DifferentialCorpusTest).
    scrambled = new DuckDbOracle(1);
    for (ExecutionMode mode : Modes.all()) {
      for (int threads : ALL_THREADS) {
        sessions.put(key(mode, threads), Modes.builder(mode).threads(threads).build());
      }
    }
    for (String table : LargeDifferentialTables.NAMES) {
      Path file = LargeDifferentialTables.file(data, table);
      duckDb.registerParquet(table, file);
      scrambled.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + file
          + "') ORDER BY hash(" + (table.equals("dim") ? "did" : "id") + " * 7919) DESC");
      for (Kiln kiln : sessions.values()) {
        kiln.registerParquet(table, file);
      }
    }
  }

  @AfterAll
  static void tearDown() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
      if (scrambled != null) {
        scrambled.close();
      }
    } finally {
      List<String> leaks = new ArrayList<>();
      for (Map.Entry<String, Kiln> session : sessions.entrySet()) {
        try {
          session.getValue().close(); // throws if any query leaked Arrow memory
        } catch (RuntimeException e) {
          leaks.add(session.getKey() + ": " + e.getMessage());
        }
      }
      sessions.clear();
      if (!kilnMillis.isEmpty()) {
        StringBuilder sb = new StringBuilder(String.format(
            "LargeDifferentialTest: %d s in all (process CPU %d s); Kiln's time per session:",
            (System.nanoTime() - startNanos) / 1_000_000_000L, (processCpuNanos() - startCpuNanos) / 1_000_000_000L));
        kilnMillis.forEach((k, ms) -> sb.append(String.format("%n  %-24s %7d ms", k, ms)));
        System.out.println(sb);
      }
      assertTrue(leaks.isEmpty(), "sessions failed to close (leaked memory?): " + leaks);
    }
  }

  @Test
  void corpusNamesAreUniqueAndThreadListsValid() {
    List<SqlScript.Query> all = LargeDifferentialTables.allQueries();
    assertTrue(all.size() >= 60, "only " + all.size() + " large differential queries");
    Set<String> names = new HashSet<>();
    for (SqlScript.Query q : all) {
      assertTrue(names.add(q.name()), "duplicate query name " + q.name());
      assertTrue(ALL_THREADS.containsAll(threadsOf(q)), q.name() + ": threads must be among " + ALL_THREADS);
    }
    assertTrue(names.containsAll(KNOWN_WRONG.keySet()), "KNOWN_WRONG names a query that does not exist");
  }

  @TestFactory
  Stream<DynamicNode> orderedAnswersAreUnique() {
    return LargeDifferentialTables.allQueries().stream()
        .filter(q -> ResultAssert.hasOuterOrderBy(q.lastStatement()))
        .map(q -> DynamicTest.dynamicTest(q.name(), () -> {
          String last = q.lastStatement();
          DuckDbOracle.Answer a = expected(q);
          List<Object[]> b = scrambled.query(last);
          ResultAssert.assertSameRows("scrambled input: " + last, a.columnNames(), b, a.rows(), true);
          assertEquals(a.rows().size(), b.size());
        }));
  }

  @TestFactory
  Stream<DynamicNode> largeDifferential() {
    return LargeDifferentialTables.queryFiles().stream().map(file -> {
      List<SqlScript.Query> queries = SqlScript.read(file);
      return DynamicContainer.dynamicContainer(file.getFileName().toString(), queries.stream().map(q ->
          DynamicContainer.dynamicContainer(q.name(), configurations(q).stream().map(config ->
              DynamicTest.dynamicTest(config, () -> check(q, config))))));
    });
  }

  private static List<String> configurations(SqlScript.Query q) {
    List<String> out = new ArrayList<>();
    for (ExecutionMode mode : Modes.all()) {
      for (int threads : threadsOf(q)) {
        out.add(key(mode, threads));
      }
    }
    return out;
  }

  private static void check(SqlScript.Query query, String config) {
    org.junit.jupiter.api.Assumptions.assumeFalse(KNOWN_WRONG.containsKey(query.name()),
        () -> "known wrong answer: " + KNOWN_WRONG.get(query.name()));
    List<Object[]> want = expected(query).rows();
    long start = System.nanoTime();
    Result actual = sessions.get(config).execute(query.sql());
    kilnMillis.merge(config, (System.nanoTime() - start) / 1_000_000, Long::sum);
    ResultAssert.assertSameRows(config + ": " + query.sql(), actual, want,
        ResultAssert.hasOuterOrderBy(query.lastStatement()));
  }

  /** DuckDB's answer, computed once per query. */
  private static DuckDbOracle.Answer expected(SqlScript.Query query) {
    DuckDbOracle.Answer answer = expected.get(query.name());
    if (answer == null) {
      List<String> statements = query.statements();
      for (String ddl : statements.subList(0, statements.size() - 1)) {
        duckDb.execute(ddl);
        scrambled.execute(ddl);
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

  static List<Integer> threadsOf(SqlScript.Query q) {
    Matcher m = THREADS.matcher(q.sql());
    if (!m.find()) {
      return DEFAULT_THREADS;
    }
    List<Integer> out = new ArrayList<>();
    for (String t : m.group(1).trim().split("[ ,]+")) {
      out.add(Integer.parseInt(t));
    }
    return out;
  }

  private static String key(ExecutionMode mode, int threads) {
    return mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + threads + (threads == 1 ? " thread" : " threads");
  }
}
