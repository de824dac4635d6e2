package io.kiln;

import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's answer as rows of Java values (see {@link io.kiln.data.Vectors#get} for the Java type
 * of each SQL type). Holds no Arrow buffers, so it needs no closing.
 */
public final class Result {
  private final List<String> columnNames;
  private final List<DataType> columnTypes;
  private final List<Object[]> rows;

  public Result(List<String> columnNames, List<DataType> columnTypes, List<Object[]> rows) {
    this.columnNames = List.copyOf(columnNames);
    this.columnTypes = List.copyOf(columnTypes);
    this.rows = rows;
  }

  public List<String> columnNames() {
    return columnNames;
  }

  public List<DataType> columnTypes() {
    return columnTypes;
  }

  public List<Object[]> rows() {
    return rows;
  }

  public int rowCount() {
    return rows.size();
  }

  public Object get(int row, int column) {
    return rows.get(row)[column];
  }

  /** Rows as lists, handy for assertions. */
  public List<List<Object>> rowLists() {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      out.add(java.util.Arrays.asList(r));
    }
    return out;
  }
}
