package io.kiln.logical;

import java.util.List;

/** UNION ALL: the rows of every input, column i of each input becoming output column i. */
public final class Union extends LogicalPlan {
  private final List<LogicalPlan> inputs;
  private final List<ColumnRef> outputs;

  public Union(List<LogicalPlan> inputs, List<ColumnRef> outputs) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  @Override
  public List<ColumnRef> output() {
    return outputs;
  }

  @Override
  public List<LogicalPlan> inputs() {
    return inputs;
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> newInputs) {
    return new Union(newInputs, outputs);
  }

  @Override
  public List<Expr> expressions() {
    return List.of();
  }

  @Override
  public String describe() {
    return "Union ALL " + outputs;
  }
}
