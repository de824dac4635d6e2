package io.kiln.optimizer;

import io.kiln.logical.LogicalPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Bottom-up plan rewriting. */
final class Rewrites {
  private Rewrites() {}

  static LogicalPlan bottomUp(LogicalPlan plan, UnaryOperator<LogicalPlan> fn) {
    List<LogicalPlan> inputs = plan.inputs();
    if (!inputs.isEmpty()) {
      List<LogicalPlan> out = new ArrayList<>(inputs.size());
      boolean changed = false;
      for (LogicalPlan in : inputs) {
        LogicalPlan n = bottomUp(in, fn);
        changed |= n != in;
        out.add(n);
      }
      if (changed) {
        plan = plan.withInputs(out);
      }
    }
    return fn.apply(plan);
  }
}
