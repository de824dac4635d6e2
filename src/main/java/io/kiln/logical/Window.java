package io.kiln.logical;

import java.util.ArrayList;
import java.util.List;

/**
 * Window functions over one {@link WindowSpec}: every input row, with one more column per call
 * ({@code callOutputs}). A query with several specs stacks one node per spec.
 */
public final class Window extends LogicalPlan {
  private final LogicalPlan input;
  private final WindowSpec spec;
  private final List<WindowCall> calls;
  private final List<ColumnRef> callOutputs;

  public Window(LogicalPlan input, WindowSpec spec, List<WindowCall> calls, List<ColumnRef> callOutputs) {
    if (calls.size() != callOutputs.size()) {
      throw new IllegalArgumentException(calls.size() + " window calls for " + callOutputs.size() + " columns");
    }
    this.input = input;
    this.spec = spec;
    this.calls = List.copyOf(calls);
    this.callOutputs = List.copyOf(callOutputs);
  }

  public WindowSpec spec() {
    return spec;
  }

  public List<WindowCall> calls() {
    return calls;
  }

  public List<ColumnRef> callOutputs() {
    return callOutputs;
  }

  @Override
  public List<ColumnRef> output() {
    return concat(input.output(), callOutputs);
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(input);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Window(inputs.get(0), spec, calls, callOutputs);
  }

  /** The same windows, computing only {@code keep} of the calls. */
  public Window withCalls(LogicalPlan newInput, List<WindowCall> keep, List<ColumnRef> keepOutputs) {
    return new Window(newInput, spec, keep, keepOutputs);
  }

  @Override
  public List<Expr> expressions() {
    List<Expr> all = new ArrayList<>(spec.partitionBy());
    for (SortKey k : spec.orderBy()) {
      all.add(k.expr());
    }
    for (WindowCall c : calls) {
      all.addAll(c.args());
    }
    return all;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Window ").append(spec).append(" [");
    for (int i = 0; i < calls.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(callOutputs.get(i)).append(" := ").append(calls.get(i));
    }
    return sb.append(']').toString();
  }
}
