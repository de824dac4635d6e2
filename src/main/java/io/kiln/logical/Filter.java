package io.kiln.logical;

import java.util.List;

/** Keeps the rows for which the condition is TRUE. */
public final class Filter extends LogicalPlan {
  private final LogicalPlan input;
  private final Expr condition;

  public Filter(LogicalPlan input, Expr condition) {
    this.input = input;
    this.condition = condition;
  }

  public Expr condition() {
    return condition;
  }

  @Override
  public List<ColumnRef> output() {
    return input.output();
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(input);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Filter(inputs.get(0), condition);
  }

  @Override
  public List<Expr> expressions() {
    return List.of(condition);
  }

  @Override
  public String describe() {
    return "Filter " + condition;
  }
}
