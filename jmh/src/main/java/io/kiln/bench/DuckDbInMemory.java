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
 * The reference: an in-memory DuckDB with the same TPC-H tables loaded from the same Parquet files
 * into its own native tables (not views over the files), on the same number of threads as Kiln.
 */
final class DuckDbInMemory implements QueryEngine {
  private final Connection connection;

  DuckDbInMemory(Path dataDir, List<String> tables, int threads) {
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open an in-memory DuckDB", e);
    }
    try {
      execute("SET threads = " + threads);
      for (String table : tables) {
        String file = TpchData.file(dataDir, table).toAbsolutePath().toString().replace("'", "''");
        execute("CREATE TABLE " + table + " AS SELECT * FROM read_parquet('" + file + "')");
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
