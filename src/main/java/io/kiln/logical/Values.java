package io.kiln.logical;

import java.util.ArrayList;
import java.util.List;

/** Literal rows (constant expressions); a SELECT without FROM reads one row of no columns. */
public final class Values extends LogicalPlan {
  private final List<List<Expr>> rows;
  private final List<ColumnRef> outputs;

  public Values(List<List<Expr>> rows, List<ColumnRef> outputs) {
    this.rows = List.copyOf(rows);
    this.outputs = List.copyOf(outputs);
  }

  public static Values oneEmptyRow() {
    return new Values(List.of(List.of()), List.of());
  }

  public List<List<Expr>> rows() {
    return rows;
  }

  @Override
  public List<ColumnRef> output() {
    return outputs;
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
    List<Expr> all = new ArrayList<>();
    rows.forEach(all::addAll);
    return all;
  }

  @Override
  public String describe() {
    return "Values " + rows.size() + " rows " + outputs;
  }
}
