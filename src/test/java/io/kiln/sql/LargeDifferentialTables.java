package io.kiln.sql;

import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.SqlScript;
import java.nio.file.Path;
import java.util.List;

/**
 * The large tables of {@link LargeDifferentialTest}, made by DuckDB from {@code range()} and
 * arithmetic (the same on every run) and written to Parquet with row groups of 100,000 rows, so
 * that scans are split into many morsels and aggregations, joins and set operations merge state
 * built by different workers from different batches.
 *
 * <ul>
 *   <li>{@code big}: 2,000,000 rows in 20 row groups; {@code id} is unique (0 to 1,999,999) and the
 *       rows are stored in id order.
 *       <ul>
 *         <li>{@code hot} INTEGER: skewed; the keys 0, 1 and 2 hold about 380,000 rows each, a tail
 *             of about 50,000 keys the rest, 1 row in 23 NULL.
 *         <li>{@code hk} BIGINT: high cardinality, 1,000,000 distinct values (almost all twice),
 *             1 row in 101 NULL.
 *         <li>{@code k7} INTEGER 0 to 6, never NULL; {@code g} VARCHAR 'grp0' to 'grp4', 1 in 13 NULL.
 *         <li>{@code s}: short strings (under 16 bytes, some non-ASCII), about 6,000 distinct, some
 *             empty, 1 in 17 NULL; {@code ls}: strings longer than 16 bytes, 200,003 distinct, NULL
 *             in every even row.
 *         <li>{@code dec} DECIMAL(12,2), {@code dec4} DECIMAL(18,4), {@code d} DOUBLE (multiples of
 *             1/8 of small magnitude, so sums are exact in any order), {@code dt} DATE, {@code b}
 *             BOOLEAN: each NULL in its own pattern.
 *         <li>{@code sparse} INTEGER (two rows in three NULL), {@code rare} BIGINT (one in a
 *             thousand set), {@code tailv} INTEGER (NULL except every other row of the last 50,000:
 *             all-NULL in 19 of the 20 row groups).
 *       </ul>
 *   <li>{@code dim}: 600,000 rows in 6 row groups to join with {@code big}; {@code did} is unique.
 *       {@code dk} joins {@code big.hk}: multiples of 3 below 900,000, each on two rows, with one
 *       row in ten set to a key {@code big} lacks and one in fifty NULL. {@code hotk} joins
 *       {@code big.hot}: the hot keys 0, 1 and 2 on two rows each, then distinct keys of which
 *       about 16,000 match; one in forty NULL. {@code g} is 'grp0' to 'grp7' ('grp5' to 'grp7' are
 *       not in {@code big}); {@code name} is unique; {@code amount} DECIMAL(10,2) overlaps a small
 *       range of {@code big.dec}; {@code ddt} DATE and {@code dd} DOUBLE have NULLs.
 * </ul>
 */
final class LargeDifferentialTables {
  static final List<String> NAMES = List.of("big", "dim");
  static final String RESOURCE_DIR = "differential-large";

  private static final String BIG = "CREATE TABLE big AS SELECT\n"
      + "  i AS id,\n"
      + "  CAST(CASE WHEN i % 23 = 0 THEN NULL WHEN i % 10 < 6 THEN i % 3\n"
      + "            ELSE 3 + (i * 7919) % 49999 END AS INTEGER) AS hot,\n"
      + "  CAST(CASE WHEN i % 101 = 0 THEN NULL ELSE (i * 611953) % 1000000 END AS BIGINT) AS hk,\n"
      + "  CAST(i % 7 AS INTEGER) AS k7,\n"
      + "  CASE WHEN i % 13 = 0 THEN NULL ELSE 'grp' || CAST(i % 5 AS VARCHAR) END AS g,\n"
      + "  CASE WHEN i % 17 = 0 THEN NULL WHEN i % 17 = 1 THEN ''\n"
      + "       ELSE ['ab', 'Cd', 'e_f', 'gh%', 'ij k', 'Ünï'][(i % 6) + 1] || CAST(i % 997 AS VARCHAR) END AS s,\n"
      + "  CASE WHEN i % 2 = 0 THEN NULL\n"
      + "       ELSE 'a longer string, key #' || CAST((i * 31) % 200003 AS VARCHAR) END AS ls,\n"
      + "  CAST(CASE WHEN i % 8 = 0 THEN NULL\n"
      + "       ELSE CAST((i * 1234567) % 10000000 - 5000000 AS DECIMAL(12,0)) * 0.01 END AS DECIMAL(12,2)) AS dec,\n"
      + "  CAST(CASE WHEN i % 9 = 0 THEN NULL\n"
      + "       ELSE CAST((i * 987654321) % 100000000000 - 50000000000 AS DECIMAL(18,0)) * 0.0001 END\n"
      + "       AS DECIMAL(18,4)) AS dec4,\n"
      + "  CASE WHEN i % 10 = 3 THEN NULL ELSE CAST((i * 13) % 1001 AS DOUBLE) * 0.125 - 60 END AS d,\n"
      + "  CASE WHEN i % 12 = 0 THEN NULL ELSE DATE '2000-01-01' + CAST((i * 37) % 9000 AS INTEGER) END AS dt,\n"
      + "  CAST(CASE WHEN i % 3 = 0 THEN i % 100003 - 50000 END AS INTEGER) AS sparse,\n"
      + "  CAST(CASE WHEN i % 1000 = 7 THEN i END AS BIGINT) AS rare,\n"
      + "  CAST(CASE WHEN i >= 1950000 AND i % 2 = 0 THEN i % 1000 END AS INTEGER) AS tailv,\n"
      + "  CASE WHEN i % 11 = 0 THEN NULL ELSE i % 4 = 1 END AS b\n"
      + "FROM range(0, 2000000) AS r(i)";

  private static final String DIM = "CREATE TABLE dim AS SELECT\n"
      + "  j AS did,\n"
      + "  CAST(CASE WHEN j % 50 = 0 THEN NULL WHEN j % 10 = 7 THEN 1000000 + j\n"
      + "            ELSE (j * 7) % 300000 * 3 END AS BIGINT) AS dk,\n"
      + "  CAST(CASE WHEN j % 40 = 0 THEN NULL WHEN j < 6 THEN j % 3 ELSE 3 + j * 3 END AS INTEGER) AS hotk,\n"
      + "  'name-' || CAST(j AS VARCHAR) AS name,\n"
      + "  CASE WHEN j % 5 = 0 THEN NULL ELSE 'grp' || CAST(j % 8 AS VARCHAR) END AS g,\n"
      + "  CAST(CAST(j % 100000 - 20000 AS DECIMAL(10,0)) * 0.01 AS DECIMAL(10,2)) AS amount,\n"
      + "  CASE WHEN j % 6 = 0 THEN NULL ELSE DATE '2005-01-01' + CAST(j % 4000 AS INTEGER) END AS ddt,\n"
      + "  CASE WHEN j % 9 = 0 THEN NULL ELSE CAST(j % 1000 AS DOUBLE) * 0.5 END AS dd\n"
      + "FROM range(0, 600000) AS r(j)";

  private LargeDifferentialTables() {}

  /** Creates the tables in a scratch DuckDB and writes {@code dir/<name>.parquet}. */
  static void writeParquet(Path dir) {
    // One thread: DuckDB then writes rows in id order and row groups of exactly the size asked for.
    try (DuckDbOracle db = new DuckDbOracle(1)) {
      db.execute(BIG);
      db.execute(DIM);
      for (String name : NAMES) {
        db.execute("COPY " + name + " TO '" + file(dir, name).toString().replace("'", "''")
            + "' (FORMAT parquet, ROW_GROUP_SIZE 100000)");
      }
    }
  }

  static Path file(Path dir, String name) {
    return dir.resolve(name + ".parquet").toAbsolutePath();
  }

  /** Every query file under {@code src/test/resources/differential-large/}, sorted by name. */
  static List<Path> queryFiles() {
    return SqlScript.resourceFiles(RESOURCE_DIR);
  }

  /** All queries of all files, in file order. */
  static List<SqlScript.Query> allQueries() {
    return SqlScript.resourceQueries(RESOURCE_DIR);
  }

}
