package io.kiln.optimizer;

import io.kiln.logical.LogicalPlan;

/** One rewrite of the logical plan that keeps its result the same. */
public interface OptimizerRule {
  LogicalPlan apply(LogicalPlan plan);

  default String name() {
    return getClass().getSimpleName();
  }
}
