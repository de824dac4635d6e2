package io.kiln.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory DuckDB used as the reference answer for Kiln. Rows come back as the same Java
 * types a Kiln {@link io.kiln.Result} uses, so {@link ResultAssert} compares like with like.
 */
public final class DuckDbOracle implements AutoCloseable {
  private final Connection connection;

  /** A DuckDB using as many threads as it likes. */
  public DuckDbOracle() {
    this(0);
  }

  /** A DuckDB limited to {@code threads} threads (0 keeps DuckDB's default). */
  public DuckDbOracle(int threads) {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      connection = DriverManager.getConnection("jdbc:duckdb:");
      if (threads > 0) {
        execute("SET threads = " + threads);
      }
    } catch (SQLException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot open an in-memory DuckDB", e);
    }
  }

  /** Makes {@code name} a view over one Parquet file. */
  public void registerParquet(String name, Path path) {
    execute("CREATE OR REPLACE VIEW " + name + " AS SELECT * FROM read_parquet('" + quote(path) + "')");
  }

  /** Runs statements that return no rows (DDL, COPY, SET). */
  public void execute(String sql) {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on: " + sql + "\n" + e.getMessage(), e);
    }
  }

  /** Runs one query and returns its rows normalised to Kiln's Java types. */
  public List<Object[]> query(String sql) {
    return queryWithColumns(sql).rows();
  }

  /** Column names and normalised rows of one query. */
  public record Answer(List<String> columnNames, List<Object[]> rows) {}

  /** Runs one query and returns its column names and normalised rows. */
  public Answer queryWithColumns(String sql) {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> names = new ArrayList<>(n);
      for (int c = 1; c <= n; c++) {
        names.add(md.getColumnLabel(c));
      }
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int c = 1; c <= n; c++) {
          row[c - 1] = normalize(rs, md, c);
        }
        rows.add(row);
      }
      return new Answer(names, rows);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on: " + sql + "\n" + e.getMessage(), e);
    }
  }

  /** Kiln's Java type for one DuckDB value: exact numbers stay exact, dates become java.time. */
  private static Object normalize(ResultSet rs, ResultSetMetaData md, int c) throws SQLException {
    Object value = rs.getObject(c);
    if (value == null) {
      return null;
    }
    String typeName = md.getColumnTypeName(c).toUpperCase();
    switch (md.getColumnType(c)) {
      case Types.DATE:
        return rs.getObject(c, LocalDate.class);
      case Types.TIMESTAMP:
        return rs.getObject(c, LocalDateTime.class);
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return rs.getObject(c, OffsetDateTime.class).toLocalDateTime();
      case Types.DECIMAL:
      case Types.NUMERIC:
        return rs.getBigDecimal(c);
      default:
        break;
    }
    if (value instanceof BigInteger) {
      // HUGEINT (e.g. DuckDB's sum of BIGINT): keep it exact; comparisons are numeric anyway.
      BigInteger big = (BigInteger) value;
      return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
    }
    if (value instanceof java.sql.Date) {
      return ((java.sql.Date) value).toLocalDate();
    }
    if (value instanceof java.sql.Timestamp) {
      return ((java.sql.Timestamp) value).toLocalDateTime();
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (typeName.startsWith("UBIGINT") && value instanceof Number) {
      return new BigDecimal(value.toString());
    }
    if (value instanceof Boolean || value instanceof Number || value instanceof String) {
      return value;
    }
    return value.toString(); // anything exotic compares by its text
  }

  private static String quote(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
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
