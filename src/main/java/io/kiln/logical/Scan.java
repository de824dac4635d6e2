package io.kiln.logical;

import io.kiln.catalog.TableProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a table. {@code columns} are the table columns read (after projection pushdown, a subset,
 * with {@code columnIndexes} their positions in the provider's schema); {@code filters} are
 * conjuncts the scan evaluates on what it reads; {@code limit} lets it stop early.
 */
public final class Scan extends LogicalPlan {
  private final String tableName;
  private final TableProvider provider;
  private final List<ColumnRef> columns;
  private final int[] columnIndexes;
  private final List<Expr> filters;
  private final OptionalLong limit;

  public Scan(String tableName, TableProvider provider, List<ColumnRef> columns, int[] columnIndexes,
      List<Expr> filters, OptionalLong limit) {
    this.tableName = tableName;
    this.provider = provider;
    this.columns = List.copyOf(columns);
    this.columnIndexes = columnIndexes.clone();
    this.filters = List.copyOf(filters);
    this.limit = limit;
  }

  public String tableName() {
    return tableName;
  }

  public TableProvider provider() {
    return provider;
  }

  public int[] columnIndexes() {
    return columnIndexes.clone();
  }

  public List<Expr> filters() {
    return filters;
  }

  public OptionalLong limit() {
    return limit;
  }

  public Scan withFilters(List<Expr> newFilters) {
    return new Scan(tableName, provider, columns, columnIndexes, newFilters, limit);
  }

  public Scan withLimit(long n) {
    return new Scan(tableName, provider, columns, columnIndexes, filters, OptionalLong.of(n));
  }

  public Scan withColumns(List<ColumnRef> keep) {
    List<ColumnRef> cols = new ArrayList<>();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (keep.contains(columns.get(i))) {
        cols.add(columns.get(i));
        idx.add(columnIndexes[i]);
      }
    }
    return new Scan(tableName, provider, cols, idx.stream().mapToInt(Integer::intValue).toArray(), filters, limit);
  }

  @Override
  public List<ColumnRef> output() {
    return columns;
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of();
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return this;
  }

  @Override
  public List<Expr> expressions() {
    return filters;
  }

  @Override
  public String describe() {
    return "Scan " + tableName + " " + columns + (filters.isEmpty() ? "" : " filters=" + filters)
        + (limit.isPresent() ? " limit=" + limit.getAsLong() : "");
  }
}
