package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CREATE TABLE, INSERT, DROP TABLE and the table functions beyond what the differential queries
 * compare: the errors (kind, what, and the line and column), that a failed INSERT leaves the table
 * as it was, that tables made over the Arrow API take INSERTs too, and that table functions prune
 * like registered tables. Every session closes without leaking Arrow memory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableStatementsTest {
  private Path data;

  @BeforeAll
  void setUp(@TempDir Path data) {
    this.data = data;
    DifferentialTables.writeParquet(data);
    DifferentialTables.writeFiles(data);
  }

  private Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    for (String table : DifferentialTables.NAMES) {
      kiln.registerParquet(table, DifferentialTables.file(data, table));
    }
    return kiln;
  }

  /** Runs {@code sql} in a fresh session, expecting it to fail with {@code kind} and every one of {@code parts}. */
  private KilnException fails(KilnException.Kind kind, String sql, String... parts) {
    try (Kiln kiln = session(ExecutionMode.INTERPRETED)) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute(sql), sql);
      assertEquals(kind, e.kind(), e.getMessage());
      for (String p : parts) {
        assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
      }
      return e;
    }
  }

  private static long count(Kiln kiln, String sql) {
    return ((Number) kiln.execute(sql).get(0, 0)).longValue();
  }

  private static String quoted(Path p) {
    return p.toString().replace("'", "''");
  }

  // ---- errors

  @Test
  void insertWithTooFewValuesSaysHowManyAndWhere() {
    fails(KilnException.Kind.BINDING, "CREATE TABLE x (a INTEGER, b VARCHAR);\nINSERT INTO x VALUES (1)",
        "INSERT INTO x expects 2 values but VALUES row 1 has 1", "at line 2, column 13");
  }

  @Test
  void insertSelectWithTooManyColumns() {
    fails(KilnException.Kind.BINDING, "CREATE TABLE x (a INTEGER);\nINSERT INTO x SELECT id, g FROM t",
        "INSERT INTO x expects 1 values but the query gives 2", "line 2, column 13");
  }

  @Test
  void insertOfATypeWithoutImplicitCastNamesColumnAndTypes() {
    fails(KilnException.Kind.BINDING, "CREATE TABLE x (a INTEGER, d DATE);\nINSERT INTO x (d, a) SELECT ii, dt FROM t",
        "INSERT INTO x: column d is DATE but the value is INTEGER", "use CAST", "line 2, column 16");
  }

  @Test
  void insertIntoAColumnTheTableDoesNotHave() {
    fails(KilnException.Kind.BINDING, "CREATE TABLE x (a INTEGER);\nINSERT INTO x (a, zz) VALUES (1, 2)",
        "table x has no column zz (it has a)", "line 2, column 19");
  }

  @Test
  void insertIntoAMissingTable() {
    fails(KilnException.Kind.BINDING, "INSERT INTO nope VALUES (1)", "cannot insert into table nope: it does not exist",
        "line 1, column 13");
  }

  @Test
  void insertIntoAParquetTableIsRefused() {
    fails(KilnException.Kind.UNSUPPORTED, "INSERT INTO u SELECT * FROM u", "INSERT into u (parquet",
        "only tables made with CREATE TABLE take rows");
  }

  @Test
  void createOfAnExistingTable() {
    fails(KilnException.Kind.BINDING, "CREATE TABLE x (a INTEGER);\nCREATE TABLE x AS SELECT 1 AS a",
        "table x already exists (use CREATE OR REPLACE TABLE, or CREATE TABLE IF NOT EXISTS)", "line 2, column 14");
    fails(KilnException.Kind.BINDING, "CREATE TABLE t (a INTEGER)", "table t already exists", "line 1, column 14");
  }

  @Test
  void dropOfAMissingTable() {
    fails(KilnException.Kind.BINDING, "SELECT 1;\n  DROP TABLE nope", "cannot drop table nope: it does not exist",
        "line 2, column 14");
  }

  @Test
  void readParquetOfAMissingFileNamesItAndWhere() {
    Path missing = data.resolve("missing.parquet");
    fails(KilnException.Kind.IO, "SELECT *\nFROM read_parquet('" + quoted(missing) + "')",
        "read_parquet: ", "parquet file " + missing + " does not exist", "line 2, column 6");
    fails(KilnException.Kind.IO, "SELECT * FROM read_parquet('" + quoted(data.resolve("nothing-*.parquet")) + "')",
        "no parquet file matches");
  }

  @Test
  void readCsvWithAnUnknownParameter() {
    fails(KilnException.Kind.UNSUPPORTED, "SELECT * FROM read_csv('" + quoted(data.resolve("u.csv"))
        + "', skip => 1)", "read_csv parameter skip", "header, delim (or sep) and quote");
  }

  @Test
  void unsupportedConstraintIsRefusedNotIgnored() {
    fails(KilnException.Kind.UNSUPPORTED, "CREATE TABLE x (a INTEGER PRIMARY KEY)", "column constraint PRIMARY KEY");
  }

  @Test
  void copyFromIsRefusedWithAnAlternative() {
    fails(KilnException.Kind.UNSUPPORTED, "COPY t FROM 'x.csv'", "COPY ... FROM", "read_csv");
  }

  @Test
  void copySyntaxErrorHasAPosition() {
    fails(KilnException.Kind.SYNTAX, "SELECT 1;\nCOPY (SELECT 1) INTO 'x.csv'", "COPY: expected TO but found 'INTO'",
        "line 2, column 17");
  }

  // ---- behaviour

  /** A failing INSERT (a cast error in a later row) adds nothing; a NOT NULL column refuses NULL the same way. */
  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void failedInsertLeavesTheTableUnchanged(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      kiln.execute("CREATE TABLE x (id BIGINT NOT NULL, n INTEGER); INSERT INTO x SELECT id, ii FROM t WHERE id <= 10");
      KilnException cast = assertThrows(KilnException.class, () -> kiln.execute(
          "INSERT INTO x SELECT a.id, CASE WHEN a.id = 100 AND b.id = 100 THEN 'bad' ELSE '1' END FROM t a, t b"));
      assertTrue(cast.getMessage().contains("bad"), cast.getMessage());
      KilnException notNull = assertThrows(KilnException.class, () -> kiln.execute(
          "INSERT INTO x SELECT CASE WHEN id = 50 THEN NULL ELSE id END, 1 FROM t"));
      assertTrue(notNull.getMessage().contains("column id is NOT NULL but a row gives it NULL"), notNull.getMessage());
      KilnException omitted = assertThrows(KilnException.class, () -> kiln.execute("INSERT INTO x (n) VALUES (1)"));
      assertTrue(omitted.getMessage().contains("gives no value to column id, which is NOT NULL"),
          omitted.getMessage());
      assertEquals(10, count(kiln, "SELECT count(*) FROM x"));
      assertEquals(55, count(kiln, "SELECT sum(id) FROM x"));
      Result inserted = kiln.execute("INSERT INTO x VALUES (11, NULL), (12, 12)");
      assertEquals(List.of("count"), inserted.columnNames());
      assertEquals(2L, ((Number) inserted.get(0, 0)).longValue());
      assertEquals(78, count(kiln, "SELECT sum(id) FROM x"));
    }
  }

  /** A script with COPY is parsed statement by statement; the other statements keep their forms. */
  @Test
  void scriptsWithCopyRunOtherStatementsAsUsual() throws IOException {
    Path out = Files.createDirectories(data.resolve("script")).resolve("u.csv");
    try (Kiln kiln = session(ExecutionMode.COMPILED)) {
      Result r = kiln.execute("CREATE VIEW few AS SELECT uid FROM u WHERE uid < 4;\n"
          + "COPY few TO '" + quoted(out) + "';\n"
          + "-- a comment; with a semicolon\n"
          + "EXPLAIN CODEGEN SELECT count(*) FROM read_csv('" + quoted(out) + "')");
      assertTrue(r.rows().stream().anyMatch(row -> String.valueOf(row[0]).contains("class")), "generated code");
      assertEquals(3, count(kiln, "SELECT count(*) FROM read_csv('" + quoted(out) + "'); -- end"));
    }
  }

  /** Replacing or dropping a table gives its memory back once no query runs (here: at once). */
  @Test
  void replacedAndDroppedTablesGiveTheirMemoryBack() {
    try (Kiln kiln = session(ExecutionMode.COMPILED)) {
      assertEquals(0.0, reservedBytes(kiln));
      kiln.execute("CREATE TABLE big AS SELECT a.id, a.s, b.dec FROM t AS a, t AS b");
      double big = reservedBytes(kiln);
      assertTrue(big > 0, "a 10,000-row table holds memory");
      kiln.execute("CREATE OR REPLACE TABLE big AS SELECT id FROM t");
      double small = reservedBytes(kiln);
      assertTrue(small > 0 && small < big, "the replaced table's memory went back: " + small + " of " + big);
      kiln.execute("INSERT INTO big SELECT id FROM t; INSERT INTO big SELECT id FROM t");
      assertEquals(300, count(kiln, "SELECT count(*) FROM big"));
      kiln.execute("DROP TABLE big");
      assertEquals(0.0, reservedBytes(kiln));
    }
  }

  private static double reservedBytes(Kiln kiln) {
    return kiln.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("kiln_memory_reserved_bytes"))
        .map(m -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst().orElseThrow();
  }

  /** Tables that came in over the Arrow API (as Flight SQL ingest makes them) take INSERTs and DROP. */
  @Test
  void arrowTablesTakeInsertsAndDrop() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(
            org.apache.arrow.vector.types.pojo.Field.nullable("v", new org.apache.arrow.vector.types.pojo.ArrowType.Int(
                32, true)))), allocator);
        Kiln kiln = session(ExecutionMode.COMPILED)) {
      ((IntVector) root.getVector(0)).setSafe(0, 5);
      ((IntVector) root.getVector(0)).setSafe(1, 7);
      root.setRowCount(2);
      kiln.registerArrow("arrowed", List.of(root));
      kiln.execute("INSERT INTO arrowed VALUES (30)");
      assertEquals(42, count(kiln, "SELECT sum(v) FROM arrowed"));
      kiln.execute("DROP TABLE arrowed");
      assertThrows(KilnException.class, () -> kiln.execute("SELECT * FROM arrowed"));
    }
  }

  /** A registered Parquet table replaced by CREATE OR REPLACE becomes an in-memory one, and back. */
  @Test
  void replacingAFileTableWithAnInMemoryOne() {
    try (Kiln kiln = session(ExecutionMode.INTERPRETED)) {
      kiln.execute("CREATE OR REPLACE TABLE u AS SELECT uid FROM u WHERE uid < 4");
      assertEquals(3, count(kiln, "SELECT count(*) FROM u"));
      kiln.registerParquet("u", DifferentialTables.file(data, "u"));
      assertEquals(40, count(kiln, "SELECT count(*) FROM u"));
      assertThrows(KilnException.class, () -> kiln.execute("INSERT INTO u SELECT * FROM u"));
    }
  }

  /** read_parquet over a folder and a glob skips row groups by their statistics as the registered folder does. */
  @Test
  void tableFunctionsPruneLikeRegisteredTables() throws IOException {
    Path parts = data.resolve("parts");
    try (Kiln kiln = session(ExecutionMode.COMPILED)) {
      kiln.registerParquet("parts", parts);
      String registered = scanLine(kiln, "parts", "SELECT count(*) FROM parts WHERE id > 60");
      assertTrue(registered.contains("row groups read 1, row groups skipped by statistics 1"), registered);
      for (String location : List.of(parts.toString(), parts.resolve("*.parquet").toString())) {
        String function = scanLine(kiln, "read_parquet", "SELECT count(*) FROM read_parquet('" + quoted(Path.of(
            location)) + "') WHERE id > 60");
        assertEquals(registered.substring(registered.indexOf(':')), function.substring(function.indexOf("):") + 1),
            location);
      }
      assertEquals(40, count(kiln, "SELECT count(*) FROM read_parquet('" + quoted(parts) + "') WHERE id > 60"));
      // A relative path means the same file as the absolute one.
      Path relative = Path.of("").toAbsolutePath().relativize(parts.resolve("t1.parquet"));
      assertEquals(60, count(kiln, "SELECT count(*) FROM read_parquet('" + quoted(relative) + "')"));
      assertTrue(Files.exists(parts.resolve("t1.parquet")));
    }
  }

  /** The EXPLAIN ANALYZE line with a scan's counters for the table whose name starts with {@code table}. */
  private static String scanLine(Kiln kiln, String table, String sql) {
    for (Object[] row : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
      String line = (String) row[0];
      if (line.startsWith("Scan " + table)) {
        return line;
      }
    }
    throw new AssertionError("no scan line for " + table + " in EXPLAIN ANALYZE " + sql);
  }
}
