package io.kiln.logical;

import java.util.ArrayList;
import java.util.List;

/** Orders rows by the keys. */
public final class Sort extends LogicalPlan {
  private final LogicalPlan input;
  private final List<SortKey> keys;

  public Sort(LogicalPlan input, List<SortKey> keys) {
    this.input = input;
    this.keys = List.copyOf(keys);
  }

  public List<SortKey> keys() {
    return keys;
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
    return new Sort(inputs.get(0), keys);
  }

  @Override
  public List<Expr> expressions() {
    List<Expr> out = new ArrayList<>();
    for (SortKey k : keys) {
      out.add(k.expr());
    }
    return out;
  }

  @Override
  public String describe() {
    return "Sort " + keys;
  }
}
