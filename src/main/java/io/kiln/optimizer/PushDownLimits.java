package io.kiln.optimizer;

import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.logical.Union;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a LIMIT reach the data: through row-preserving projections, into each input of a UNION ALL
 * (as LIMIT limit+offset, the outer LIMIT still applying), and into an unfiltered scan, which then
 * plans only the row groups it needs. ORDER BY ... LIMIT is planned as a top-N sort elsewhere.
 */
final class PushDownLimits implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return Rewrites.bottomUp(plan, this::push);
  }

  private LogicalPlan push(LogicalPlan node) {
    if (!(node instanceof Limit) || ((Limit) node).limit() < 0) {
      return node;
    }
    Limit l = (Limit) node;
    long needed = l.limit() + l.offset();
    LogicalPlan input = l.input();
    LogicalPlan limited = limitInput(input, needed);
    return limited == input ? node : new Limit(limited, l.limit(), l.offset());
  }

  /** {@code input} reading at most {@code rows} rows where that can be pushed, else itself. */
  private LogicalPlan limitInput(LogicalPlan input, long rows) {
    if (input instanceof Project) {
      LogicalPlan inner = limitInput(input.input(), rows);
      return inner == input.input() ? input : input.withInputs(List.of(inner));
    }
    if (input instanceof Scan) {
      Scan s = (Scan) input;
      boolean tighter = !s.limit().isPresent() || s.limit().getAsLong() > rows;
      return s.filters().isEmpty() && tighter ? s.withLimit(rows) : s;
    }
    if (input instanceof Union) {
      List<LogicalPlan> inputs = new ArrayList<>();
      for (LogicalPlan in : input.inputs()) {
        inputs.add(in instanceof Limit ? in : new Limit(in, rows, 0));
      }
      return input.withInputs(inputs);
    }
    return input;
  }
}
