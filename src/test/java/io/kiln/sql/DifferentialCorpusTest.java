package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.SqlScript;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the differential corpus itself, without Kiln: names are unique, every query runs on
 * DuckDB, and ordered answers are unique. For the last, a second DuckDB reads the same rows in a
 * scrambled order with one thread; a tie in ORDER BY (or a LIMIT cutting through ties) then shows
 * up as a different answer, which would make the Kiln comparison flaky.
 */
class DifferentialCorpusTest {
  private static final Pattern LIMIT_OR_OFFSET = Pattern.compile("(?is).*\\b(LIMIT|OFFSET)\\b.*");

  @TempDir static Path data;
  private static DuckDbOracle plain;
  private static DuckDbOracle scrambled;

  @BeforeAll
  static void setUp() {
    DifferentialTables.writeParquet(data);
    DifferentialTables.writeFiles(data);
    plain = new DuckDbOracle(2);
    scrambled = new DuckDbOracle(1);
    for (String table : DifferentialTables.NAMES) {
      Path file = DifferentialTables.file(data, table);
      plain.registerParquet(table, file);
      scrambled.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + file
          + "') ORDER BY hash(" + (table.equals("u") ? "uid" : "id") + " * 7919) DESC");
    }
  }

  @AfterAll
  static void tearDown() {
    plain.close();
    scrambled.close();
  }

  @Test
  void corpusIsLargeAndNamesAreUnique() {
    List<SqlScript.Query> all = DifferentialTables.allQueries();
    assertTrue(all.size() >= 150, "only " + all.size() + " differential queries");
    Set<String> names = new HashSet<>();
    for (SqlScript.Query q : all) {
      assertTrue(names.add(q.name()), "duplicate query name " + q.name());
    }
  }

  @TestFactory
  Stream<DynamicTest> orderedAnswersAreUnique() {
    return DifferentialTables.allQueries().stream().map(script -> DynamicTest.dynamicTest(script.name(), () -> {
      SqlScript.Query q = script.in(data);
      List<String> statements = q.statements();
      for (String ddl : statements.subList(0, statements.size() - 1)) {
        plain.execute(ddl);
        scrambled.execute(ddl);
      }
      String last = q.lastStatement();
      boolean ordered = ResultAssert.hasOuterOrderBy(last);
      if (!ordered && containsTopLevelLimit(last)) {
        assertTrue(last.matches("(?is).*\\bLIMIT\\s+0\\s*$"),
            q.name() + ": LIMIT/OFFSET without an outer ORDER BY has no unique answer");
      }
      DuckDbOracle.Answer a = plain.queryWithColumns(last);
      List<Object[]> b = scrambled.query(last);
      ResultAssert.assertSameRows(last, a.columnNames(), b, a.rows(), ordered);
      assertEquals(a.rows().size(), b.size());
    }));
  }

  private static boolean containsTopLevelLimit(String sql) {
    String text = ResultAssert.stripLiteralsAndComments(sql);
    StringBuilder top = new StringBuilder();
    int depth = 0;
    for (char ch : text.toCharArray()) {
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0) {
        top.append(ch);
      }
    }
    return LIMIT_OR_OFFSET.matcher(top).matches();
  }
}
