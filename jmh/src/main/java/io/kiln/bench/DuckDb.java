package io.kiln.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference: DuckDB over the same TPC-H Parquet files as Kiln, on the same number of threads,
 * either loaded into its own native tables or reading the files at each query.
 */
final class DuckDb implements QueryEngine {
  private final Connection connection;

  /** The tables loaded into DuckDB's native tables, as Kiln's in-memory benchmarks hold theirs. */
  static DuckDb inMemory(Path dataDir, List<String> tables, int threads) {
    return new DuckDb(dataDir, tables, threads, "TABLE");
  }

  /** Views over the files: every query reads (and decodes) the Parquet files, as Kiln's scans do. */
  static DuckDb overFiles(Path dataDir, List<String> tables, int threads) {
    return new DuckDb(dataDir, tables, threads, "VIEW");
  }

  private DuckDb(Path dataDir, List<String> tables, int threads, String kind) {
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open an in-memory DuckDB", e);
    }
    try {
      execute("SET threads = " + threads);
      for (String table : tables) {
        String file = TpchData.file(dataDir, table).toAbsolutePath().toString().replace("'", "''");
        execute("CREATE " + kind + " " + table + " AS SELECT * FROM read_parquet('" + file + "')");
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void execute(String sql) {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on: " + sql, e);
    }
  }

  /** Every value of every row is fetched, as Kiln's Result holds them. */
  @Override
  public Object run(String sql) {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[columns];
        for (int c = 0; c < columns; c++) {
          row[c] = rs.getObject(c + 1);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on: " + sql, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close DuckDB", e);
    }
  }
}
