package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import io.kiln.testing.SuiteSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The large differential corpus ({@link LargeDifferentialSuite}) in this process: every query in
 * both execution modes at 2 threads; a query whose text holds a line {@code -- threads: 1 2 4}
 * runs at each thread count listed instead. Also checks the corpus itself: names are unique,
 * thread lists valid, and ordered answers unique.
 */
class LargeDifferentialTest extends LargeDifferentialSuite {
  private static final Pattern THREADS = Pattern.compile("(?m)^\\s*--\\s*threads:\\s*([0-9 ,]+)$");
  private static final List<Integer> DEFAULT_THREADS = List.of(2);
  private static final List<Integer> ALL_THREADS = List.of(1, 2, 4);

  private DuckDbOracle scrambled;

  @Override
  SuiteSessions openSessions() {
    // Runtime filters never change an answer: each query also runs with them off.
    return SuiteSessions.inProcess(ALL_THREADS).withoutRuntimeFilters();
  }

  @Override
  List<String> configurations(SqlScript.Query q) {
    List<String> out = new ArrayList<>();
    for (ExecutionMode mode : Modes.all()) {
      for (int threads : threadsOf(q)) {
        out.add(SuiteSessions.inProcessName(mode, threads));
      }
    }
    out.add(SuiteSessions.WITHOUT_RUNTIME_FILTERS);
    return out;
  }

  /**
   * Reads the same rows in another order with one thread: ties under ORDER BY show up as a
   * different answer (see DifferentialCorpusTest).
   */
  @BeforeAll
  void scramble() {
    scrambled = new DuckDbOracle(1);
    for (String table : LargeDifferentialTables.NAMES) {
      Path file = LargeDifferentialTables.file(data(), table);
      scrambled.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + file
          + "') ORDER BY hash(" + (table.equals("dim") ? "did" : "id") + " * 7919) DESC");
    }
  }

  @AfterAll
  void closeScrambled() {
    if (scrambled != null) {
      scrambled.close();
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
          DuckDbOracle.Answer a = expected(q);
          List<String> statements = q.statements();
          for (String ddl : statements.subList(0, statements.size() - 1)) {
            scrambled.execute(ddl);
          }
          List<Object[]> b = scrambled.query(q.lastStatement());
          ResultAssert.assertSameRows("scrambled input: " + q.lastStatement(), a.columnNames(), b, a.rows(), true);
          assertEquals(a.rows().size(), b.size());
        }));
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
}
