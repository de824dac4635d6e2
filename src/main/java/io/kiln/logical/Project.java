package io.kiln.logical;

import java.util.List;

/** Computes {@code exprs.get(i)} into column {@code outputs.get(i)} for each row. */
public final class Project extends LogicalPlan {
  private final LogicalPlan input;
  private final List<Expr> exprs;
  private final List<ColumnRef> outputs;

  public Project(LogicalPlan input, List<Expr> exprs, List<ColumnRef> outputs) {
    if (exprs.size() != outputs.size()) {
      throw new IllegalArgumentException("exprs and outputs differ in size");
    }
    this.input = input;
    this.exprs = List.copyOf(exprs);
    this.outputs = List.copyOf(outputs);
  }

  public List<Expr> exprs() {
    return exprs;
  }

  @Override
  public List<ColumnRef> output() {
    return outputs;
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(input);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Project(inputs.get(0), exprs, outputs);
  }

  @Override
  public List<Expr> expressions() {
    return exprs;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Project ");
    for (int i = 0; i < exprs.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(outputs.get(i)).append(" := ").append(exprs.get(i));
    }
    return sb.toString();
  }
}
