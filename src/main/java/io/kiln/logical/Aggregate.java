package io.kiln.logical;

import java.util.ArrayList;
import java.util.List;

/** Groups by {@code groupKeys} (each into a group output column) and computes {@code aggregates}. */
public final class Aggregate extends LogicalPlan {
  private final LogicalPlan input;
  private final List<Expr> groupKeys;
  private final List<ColumnRef> groupOutputs;
  private final List<AggregateCall> aggregates;
  private final List<ColumnRef> aggregateOutputs;

  public Aggregate(LogicalPlan input, List<Expr> groupKeys, List<ColumnRef> groupOutputs,
      List<AggregateCall> aggregates, List<ColumnRef> aggregateOutputs) {
    this.input = input;
    this.groupKeys = List.copyOf(groupKeys);
    this.groupOutputs = List.copyOf(groupOutputs);
    this.aggregates = List.copyOf(aggregates);
    this.aggregateOutputs = List.copyOf(aggregateOutputs);
  }

  public List<Expr> groupKeys() {
    return groupKeys;
  }

  public List<ColumnRef> groupOutputs() {
    return groupOutputs;
  }

  public List<AggregateCall> aggregates() {
    return aggregates;
  }

  public List<ColumnRef> aggregateOutputs() {
    return aggregateOutputs;
  }

  @Override
  public List<ColumnRef> output() {
    return concat(groupOutputs, aggregateOutputs);
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(input);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Aggregate(inputs.get(0), groupKeys, groupOutputs, aggregates, aggregateOutputs);
  }

  @Override
  public List<Expr> expressions() {
    List<Expr> all = new ArrayList<>(groupKeys);
    for (AggregateCall a : aggregates) {
      all.addAll(a.exprs());
    }
    return all;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Aggregate keys=[");
    for (int i = 0; i < groupKeys.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(groupOutputs.get(i)).append(" := ").append(groupKeys.get(i));
    }
    sb.append("] aggs=[");
    for (int i = 0; i < aggregates.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(aggregateOutputs.get(i)).append(" := ").append(aggregates.get(i));
    }
    return sb.append(']').toString();
  }
}
