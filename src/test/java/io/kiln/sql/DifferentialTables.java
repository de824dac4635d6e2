package io.kiln.sql;

import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.SqlScript;
import java.nio.file.Path;
import java.util.List;

/**
 * The small tables of the differential tests, made by DuckDB from {@code range()} and arithmetic
 * (so they are the same on every run) and written to Parquet that both engines then read.
 *
 * <ul>
 *   <li>{@code t}: 100 rows, a unique {@code id} and one column of every type, each NULL-heavy in
 *       its own pattern; {@code nv} is NULL in every group of {@code g} except {@code 'g1'}.
 *   <li>{@code u}: 40 rows to join with {@code t} on {@code k} or {@code g}; some keys match
 *       nothing, some are NULL.
 *   <li>{@code e}: {@code t}'s schema with no rows.
 * </ul>
 */
final class DifferentialTables {
  static final List<String> NAMES = List.of("t", "u", "e");

  private static final String T = "CREATE TABLE t AS SELECT\n"
      + "  i AS id,\n"
      + "  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS b,\n"
      + "  CAST(CASE WHEN i % 11 = 0 THEN NULL ELSE i % 50 - 25 END AS TINYINT) AS ti,\n"
      + "  CAST(CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 37) % 1000 - 500 END AS SMALLINT) AS si,\n"
      + "  CAST(CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 7919) % 10007 - 5000 END AS INTEGER) AS ii,\n"
      + "  CAST(CASE WHEN i % 9 = 0 THEN NULL ELSE i * 1000000007 - 50000000000 END AS BIGINT) AS bi,\n"
      + "  CAST(CASE WHEN i % 6 = 0 THEN NULL ELSE (i % 17) * 0.25 - 2 END AS REAL) AS r,\n"
      + "  CAST(CASE WHEN i % 10 = 0 THEN NULL ELSE CAST((i * 13) % 101 AS DOUBLE) * 0.125 - 6 END AS DOUBLE) AS d,\n"
      + "  CAST(CASE WHEN i % 8 = 0 THEN NULL ELSE CAST((i * 1234) % 100000 - 25000 AS DECIMAL(12,0)) * 0.01 END"
      + " AS DECIMAL(12,2)) AS dec,\n"
      + "  CAST(CASE WHEN i % 15 = 0 THEN NULL ELSE CAST((i * 987654321) % 100000000 - 50000000 AS DECIMAL(18,0))"
      + " * 0.0001 END AS DECIMAL(18,4)) AS dec4,\n"
      + "  CAST(CASE WHEN i % 4 = 2 THEN NULL ELSE CAST(i * 3 - 150 AS DECIMAL(5,0)) * 0.1 END AS DECIMAL(5,1)) AS sd,\n"
      + "  CASE WHEN i % 12 = 0 THEN NULL\n"
      + "       WHEN i % 12 = 5 THEN DATE '2020-01-31'\n"
      + "       WHEN i % 12 = 7 THEN DATE '2019-08-31'\n"
      + "       ELSE DATE '2019-12-31' + CAST((i * 29) % 1500 AS INTEGER) END AS dt,\n"
      + "  CASE WHEN i % 14 = 0 THEN NULL\n"
      + "       ELSE TIMESTAMP '2021-03-04 05:06:07' + to_seconds(i * 26041) END AS ts,\n"
      + "  CASE WHEN i % 15 = 0 THEN NULL WHEN i % 15 = 1 THEN ''\n"
      + "       ELSE ['alpha', 'Beta', '  gamma ', 'delta_x', 'eps%lon', 'ZETA', 'a_b', 'Ünïcode'][(i % 8) + 1]"
      + " || CAST(i % 4 AS VARCHAR) END AS s,\n"
      + "  CASE WHEN i % 16 = 0 THEN NULL ELSE 'g' || CAST(i % 5 AS VARCHAR) END AS g,\n"
      + "  CAST(CASE WHEN i % 19 = 0 THEN NULL ELSE i % 10 END AS INTEGER) AS k,\n"
      + "  CAST(CASE WHEN i % 5 = 1 THEN i END AS INTEGER) AS nv\n"
      + "FROM range(1, 101) AS r(i)";

  private static final String U = "CREATE TABLE u AS SELECT\n"
      + "  i AS uid,\n"
      + "  CAST(CASE WHEN i % 9 = 0 THEN NULL ELSE i % 14 END AS INTEGER) AS k,\n"
      + "  'u' || CAST(i AS VARCHAR) AS name,\n"
      + "  CAST(CAST(i * 250 - 3000 AS DECIMAL(10,0)) * 0.01 AS DECIMAL(10,2)) AS amount,\n"
      + "  CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2020-06-01' + CAST(i * 11 AS INTEGER) END AS ud,\n"
      + "  CASE WHEN i % 6 = 0 THEN NULL ELSE 'g' || CAST(i % 7 AS VARCHAR) END AS g\n"
      + "FROM range(1, 41) AS r(i)";

  private DifferentialTables() {}

  /** Creates the tables in a scratch DuckDB and writes {@code dir/<name>.parquet}. */
  static void writeParquet(Path dir) {
    try (DuckDbOracle db = new DuckDbOracle(1)) {
      db.execute(T);
      db.execute(U);
      db.execute("CREATE TABLE e AS SELECT * FROM t WHERE false");
      for (String name : NAMES) {
        db.execute("COPY " + name + " TO '" + file(dir, name).toString().replace("'", "''") + "' (FORMAT parquet)");
      }
    }
  }

  /**
   * Files for the table functions' queries, written by DuckDB: {@code t.csv} and {@code u.csv}
   * (with a header), {@code u_pipes.csv} ('|'-separated, no header), and {@code t}'s rows split
   * over {@code parts/t1.parquet} and {@code parts/t2.parquet}.
   */
  static void writeFiles(Path dir) {
    try (DuckDbOracle db = new DuckDbOracle(1)) {
      for (String name : NAMES) {
        db.registerParquet(name, file(dir, name));
      }
      java.nio.file.Files.createDirectories(dir.resolve("parts"));
      db.execute("COPY t TO '" + quoted(dir.resolve("t.csv")) + "' (FORMAT csv, HEADER true)");
      db.execute("COPY u TO '" + quoted(dir.resolve("u.csv")) + "' (FORMAT csv, HEADER true)");
      db.execute("COPY u TO '" + quoted(dir.resolve("u_pipes.csv")) + "' (FORMAT csv, HEADER false, DELIMITER '|')");
      db.execute("COPY (SELECT * FROM t WHERE id <= 60) TO '" + quoted(dir.resolve("parts/t1.parquet"))
          + "' (FORMAT parquet)");
      db.execute("COPY (SELECT * FROM t WHERE id > 60) TO '" + quoted(dir.resolve("parts/t2.parquet"))
          + "' (FORMAT parquet)");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String quoted(Path file) {
    return file.toAbsolutePath().toString().replace("'", "''");
  }

  static Path file(Path dir, String name) {
    return dir.resolve(name + ".parquet").toAbsolutePath();
  }

  /** Every query file under {@code src/test/resources/differential/}, sorted by name. */
  static List<Path> queryFiles() {
    return SqlScript.resourceFiles("differential");
  }

  /** All queries of all files, in file order. */
  static List<SqlScript.Query> allQueries() {
    return SqlScript.resourceQueries("differential");
  }

}
