package io.kiln.server;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A JDBC answer as column labels and rows of the Java values the differential tests compare. */
record JdbcRows(List<String> columnNames, List<Object[]> rows) {
  static JdbcRows query(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      return of(rs);
    }
  }

  static JdbcRows of(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> names = new ArrayList<>();
    for (int c = 1; c <= md.getColumnCount(); c++) {
      names.add(md.getColumnLabel(c));
    }
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[names.size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = normalized(rs.getObject(c + 1));
      }
      rows.add(row);
    }
    return new JdbcRows(names, rows);
  }

  /** As the DuckDB oracle gives them: whole numbers as Long, dates and timestamps as java.time. */
  private static Object normalized(Object v) {
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).toLocalDate();
    }
    if (v instanceof java.sql.Timestamp) {
      return ((java.sql.Timestamp) v).toLocalDateTime();
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.math.BigInteger) {
      return new BigDecimal((java.math.BigInteger) v);
    }
    return v;
  }
}
