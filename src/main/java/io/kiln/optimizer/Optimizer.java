package io.kiln.optimizer;

import io.kiln.error.KilnException;
import io.kiln.logical.LogicalPlan;
import java.util.List;

/** Runs the rules in order; each is a small class with its own tests. The user's rules run last. */
public final class Optimizer {
  private final List<OptimizerRule> builtIn = List.of(
      new DecorrelateSubqueries(),
      new FoldConstants(),
      new PushDownPredicates(),
      new PushDownSemiJoins(),
      new ReorderJoins(),
      new PushDownPredicates(),
      // After the join rules: the projections it puts between joins would split ReorderJoins' join trees.
      new PruneColumns(),
      new PushDownLimits());

  private final List<OptimizerRule> userRules;

  public Optimizer() {
    this(List.of());
  }

  /** The built-in rules, then {@code userRules} in order (they see the plan the built-ins made). */
  public Optimizer(List<OptimizerRule> userRules) {
    this.userRules = List.copyOf(userRules);
  }

  public LogicalPlan optimize(LogicalPlan plan) {
    for (OptimizerRule r : builtIn) {
      plan = r.apply(plan);
    }
    for (OptimizerRule r : userRules) {
      LogicalPlan rewritten;
      try {
        rewritten = r.apply(plan);
      } catch (KilnException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new KilnException(KilnException.Kind.EXECUTION, "optimizer rule " + r.name() + " failed: " + e, e);
      }
      if (rewritten == null) {
        throw KilnException.execution("optimizer rule " + r.name() + " returned no plan");
      }
      if (!rewritten.output().equals(plan.output())) {
        // the result's columns are what the query promised its caller; a rule may change how, not what
        throw KilnException.execution("optimizer rule " + r.name() + " changed the query's output columns from "
            + plan.output() + " to " + rewritten.output());
      }
      plan = rewritten;
    }
    return plan;
  }
}
