package io.kiln.logical;

import java.util.ArrayList;
import java.util.List;

/** A node of the logical plan: what to compute, not how. Immutable; rules build new trees. */
public abstract class LogicalPlan {
  /** The columns this node produces, in order. */
  public abstract List<ColumnRef> output();

  public abstract List<LogicalPlan> inputs();

  public abstract LogicalPlan withInputs(List<LogicalPlan> inputs);

  /** Every expression this node evaluates (for analysis such as free columns and subqueries). */
  public abstract List<Expr> expressions();

  /** One line for EXPLAIN. */
  public abstract String describe();

  public LogicalPlan input() {
    return inputs().get(0);
  }

  /** The plan as an indented tree, one node per line. */
  public String explain() {
    StringBuilder sb = new StringBuilder();
    explain(sb, 0);
    return sb.toString();
  }

  private void explain(StringBuilder sb, int depth) {
    sb.append("  ".repeat(depth)).append(describe()).append('\n');
    for (LogicalPlan in : inputs()) {
      in.explain(sb, depth + 1);
    }
  }

  protected static List<ColumnRef> concat(List<ColumnRef> a, List<ColumnRef> b) {
    List<ColumnRef> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
