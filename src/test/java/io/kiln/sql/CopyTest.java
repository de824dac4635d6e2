package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.error.KilnException;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * COPY ... TO writes files that read back as the same rows, in Kiln (read_parquet, read_csv) and in
 * DuckDB; a COPY that fails leaves no file behind (not even a temporary one) and keeps a file it
 * would have replaced; a missing folder is an error naming it. In both execution modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyTest {
  /** Every column of t: one of each type the engine has, NULL-heavy. */
  private static final String ALL_COLUMNS = "id, b, ti, si, ii, bi, r, d, dec, dec4, sd, dt, ts, s, g, k, nv";

  private Path data;
  private DuckDbOracle duckDb;

  @BeforeAll
  void setUp(@TempDir Path data) {
    this.data = data;
    DifferentialTables.writeParquet(data);
    duckDb = new DuckDbOracle(1);
    for (String table : DifferentialTables.NAMES) {
      duckDb.registerParquet(table, DifferentialTables.file(data, table));
    }
  }

  @AfterAll
  void tearDown() {
    if (duckDb != null) {
      duckDb.close();
    }
  }

  private Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    for (String table : DifferentialTables.NAMES) {
      kiln.registerParquet(table, DifferentialTables.file(data, table));
    }
    return kiln;
  }

  private Path folder(ExecutionMode mode, String name) throws IOException {
    return Files.createDirectories(data.resolve(mode.name().toLowerCase() + "-" + name));
  }

  private static String quoted(Path p) {
    return p.toString().replace("'", "''");
  }

  /** Each column as "name TYPE", as DuckDB types it. */
  private List<String> describe(String query) {
    return duckDb.query("SELECT column_name, column_type FROM (DESCRIBE " + query + ")").stream()
        .map(r -> r[0] + " " + r[1]).toList();
  }

  private static long count(Result r) {
    return ((Number) r.get(0, 0)).longValue();
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void parquetRoundTripInKilnAndDuckDb(ExecutionMode mode) throws IOException {
    Path file = folder(mode, "parquet").resolve("t_copy.parquet");
    try (Kiln kiln = session(mode)) {
      Result written = kiln.execute("COPY (SELECT " + ALL_COLUMNS + " FROM t) TO '" + quoted(file)
          + "' (FORMAT parquet)");
      assertEquals(List.of("count"), written.columnNames());
      assertEquals(100, count(written));
      String back = "SELECT " + ALL_COLUMNS + " FROM read_parquet('" + quoted(file) + "') ORDER BY id";
      List<Object[]> expected = duckDb.query("SELECT " + ALL_COLUMNS + " FROM t ORDER BY id");
      ResultAssert.assertSameRows(back, kiln.execute(back), expected, true);
      ResultAssert.assertSameRows("DuckDB: " + back, List.of(ALL_COLUMNS.split(", ")), duckDb.query(back), expected,
          true);
      // The same types as DuckDB writes them, so DuckDB sees the original column types.
      assertEquals(describe("SELECT " + ALL_COLUMNS + " FROM t"), describe(back));
    }
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void csvRoundTripWithHeaderAndDelimiter(ExecutionMode mode) throws IOException {
    Path file = folder(mode, "csv").resolve("u_copy.csv");
    try (Kiln kiln = session(mode)) {
      assertEquals(40, count(kiln.execute("COPY u TO '" + quoted(file) + "' (FORMAT csv, HEADER true, DELIMITER '|')")));
      List<String> lines = Files.readAllLines(file);
      assertEquals("uid|k|name|amount|ud|g", lines.get(0));
      assertEquals(41, lines.size());
      String columns = "uid, k, name, amount, ud, g";
      List<Object[]> expected = duckDb.query("SELECT " + columns + " FROM u ORDER BY uid");
      String kilnBack = "SELECT " + columns + " FROM read_csv('" + quoted(file) + "', header => true, delim => '|') "
          + "ORDER BY uid";
      ResultAssert.assertSameRows(kilnBack, kiln.execute(kilnBack), expected, true);
      String duckBack = "SELECT " + columns + " FROM read_csv('" + quoted(file) + "', header = true, delim = '|') "
          + "ORDER BY uid";
      ResultAssert.assertSameRows("DuckDB: " + duckBack, List.of(columns.split(", ")), duckDb.query(duckBack),
          expected, true);
    }
  }

  /**
   * Every type, NULLs and empty strings: DuckDB reads Kiln's CSV as it reads the CSV it writes
   * itself from the same rows (both write NULL as an empty field and '' as "").
   */
  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void csvOfEveryTypeReadsInDuckDbLikeDuckDbsOwn(ExecutionMode mode) throws IOException {
    Path dir = folder(mode, "csv-types");
    Path kilns = dir.resolve("kiln.csv");
    Path duckdbs = dir.resolve("duckdb.csv");
    try (Kiln kiln = session(mode)) {
      kiln.execute("COPY (SELECT " + ALL_COLUMNS + " FROM t ORDER BY id) TO '" + quoted(kilns) + "' (HEADER)");
    }
    duckDb.execute("COPY (SELECT " + ALL_COLUMNS + " FROM t ORDER BY id) TO '" + quoted(duckdbs) + "' (HEADER)");
    String back = "SELECT " + ALL_COLUMNS + " FROM read_csv('%s', header = true) ORDER BY id";
    ResultAssert.assertSameRows("DuckDB: " + back, List.of(ALL_COLUMNS.split(", ")),
        duckDb.query(String.format(back, quoted(kilns))), duckDb.query(String.format(back, quoted(duckdbs))), true);
    assertEquals(describe(String.format(back, quoted(duckdbs))), describe(String.format(back, quoted(kilns))));
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void copyOfATableMadeInTheSessionAndOfNoRows(ExecutionMode mode) throws IOException {
    Path dir = folder(mode, "session-table");
    try (Kiln kiln = session(mode)) {
      kiln.execute("CREATE TABLE made AS SELECT id, s FROM t WHERE id <= 10; INSERT INTO made VALUES (1000, 'new')");
      assertEquals(11, count(kiln.execute("COPY made TO '" + quoted(dir.resolve("made.parquet")) + "'")));
      ResultAssert.assertSameRows("made", kiln.execute("SELECT id, s FROM read_parquet('"
          + quoted(dir.resolve("made.parquet")) + "') ORDER BY id"), kiln.execute("SELECT id, s FROM made ORDER BY id")
          .rows(), true);
      assertEquals(0, count(kiln.execute("COPY (SELECT * FROM e) TO '" + quoted(dir.resolve("none.parquet")) + "'")));
      assertEquals(0, count(kiln.execute("SELECT count(*) FROM read_parquet('" + quoted(dir.resolve("none.parquet"))
          + "')")));
      assertEquals(0L, ((Number) duckDb.query("SELECT count(*) FROM read_parquet('" + quoted(dir.resolve("none.parquet"))
          + "')").get(0)[0]).longValue());
    }
  }

  /**
   * A query that fails after reading rows (a cast error in the last row of a thousands-row cross
   * join) writes nothing: no new file, no temporary file, and a file it would have replaced is
   * unchanged.
   */
  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void failedCopyLeavesNoFileAndKeepsTheOldOne(ExecutionMode mode) throws IOException {
    Path dir = folder(mode, "atomic");
    String failing = "SELECT a.id, CAST(CASE WHEN a.id = 100 AND b.id = 100 THEN 'oops' ELSE '1' END AS INTEGER) AS v "
        + "FROM t AS a, t AS b";
    try (Kiln kiln = session(mode)) {
      for (String format : List.of("parquet", "csv")) {
        Path fresh = dir.resolve("fresh." + format);
        KilnException e = assertThrows(KilnException.class, () -> kiln.execute("COPY (" + failing + ") TO '"
            + quoted(fresh) + "' (FORMAT " + format + ")"));
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
        assertFalse(Files.exists(fresh), "a failed COPY must not leave " + fresh);
        Path old = dir.resolve("old." + format);
        kiln.execute("COPY (SELECT id FROM t WHERE id < 4) TO '" + quoted(old) + "' (FORMAT " + format + ")");
        byte[] before = Files.readAllBytes(old);
        assertThrows(KilnException.class, () -> kiln.execute("COPY (" + failing + ") TO '" + quoted(old)
            + "' (FORMAT " + format + ")"));
        assertArrayEquals(before, Files.readAllBytes(old), "a failed COPY must keep the file it would replace");
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of("old.csv", "old.parquet"), files.map(p -> p.getFileName().toString()).sorted().toList(),
            "no temporary files may be left");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void copyToAMissingFolderNamesItAndWhere(ExecutionMode mode) {
    Path missing = data.resolve("no-such-folder").resolve("x.parquet");
    try (Kiln kiln = session(mode)) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT 1;\nCOPY t TO '"
          + quoted(missing) + "' (FORMAT parquet)"));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("folder " + missing.getParent() + " does not exist at line 2, column 11"),
          e.getMessage());
      assertFalse(Files.exists(missing.getParent()));
    }
  }
}
