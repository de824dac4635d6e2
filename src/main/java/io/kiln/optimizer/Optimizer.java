package io.kiln.optimizer;

import io.kiln.logical.LogicalPlan;
import java.util.List;

/** Runs the rules in order; each is a small class with its own tests. */
public final class Optimizer {
  private final List<OptimizerRule> rules = List.of(
      new DecorrelateSubqueries(),
      new FoldConstants(),
      new PushDownPredicates(),
      new PushDownSemiJoins(),
      new ReorderJoins(),
      new PushDownPredicates(),
      // After the join rules: the projections it puts between joins would split ReorderJoins' join trees.
      new PruneColumns(),
      new PushDownLimits());

  public LogicalPlan optimize(LogicalPlan plan) {
    for (OptimizerRule r : rules) {
      plan = r.apply(plan);
    }
    return plan;
  }
}
