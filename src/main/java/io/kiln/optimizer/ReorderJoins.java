package io.kiln.optimizer;

import io.kiln.logical.Cardinality;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reorders each tree of inner joins greedily: repeatedly joins the two connected parts whose join
 * is estimated smallest. Two parts are joined without a predicate only when no predicate connects
 * any remaining parts, so no cross product is left where a join predicate exists. The result keeps
 * the original column order with a projection on top.
 */
final class ReorderJoins implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    if (plan instanceof Join && ((Join) plan).type() == JoinType.INNER) {
      List<LogicalPlan> relations = new ArrayList<>();
      List<Expr> conditions = new ArrayList<>();
      flatten(plan, relations, conditions);
      List<LogicalPlan> optimized = new ArrayList<>();
      for (LogicalPlan r : relations) {
        optimized.add(apply(r));
      }
      LogicalPlan joined = greedy(optimized, conditions);
      if (joined.output().equals(plan.output())) {
        return joined;
      }
      return new Project(joined, new ArrayList<>(plan.output()), plan.output());
    }
    List<LogicalPlan> inputs = new ArrayList<>();
    for (LogicalPlan in : plan.inputs()) {
      inputs.add(apply(in));
    }
    return inputs.isEmpty() ? plan : plan.withInputs(inputs);
  }

  private static void flatten(LogicalPlan p, List<LogicalPlan> relations, List<Expr> conditions) {
    if (p instanceof Join && ((Join) p).type() == JoinType.INNER) {
      Join j = (Join) p;
      flatten(j.left(), relations, conditions);
      flatten(j.right(), relations, conditions);
      if (j.condition() != null) {
        conditions.addAll(Exprs.conjuncts(j.condition()));
      }
    } else {
      relations.add(p);
    }
  }

  private static LogicalPlan greedy(List<LogicalPlan> parts, List<Expr> conditions) {
    List<LogicalPlan> remaining = new ArrayList<>(parts);
    List<Expr> unused = new ArrayList<>(conditions);
    while (remaining.size() > 1) {
      int bestA = -1;
      int bestB = -1;
      double bestRows = Double.MAX_VALUE;
      boolean bestConnected = false;
      for (int a = 0; a < remaining.size(); a++) {
        for (int b = a + 1; b < remaining.size(); b++) {
          List<Expr> conds = connecting(remaining.get(a), remaining.get(b), unused);
          boolean connected = !conds.isEmpty();
          if (bestConnected && !connected) {
            continue;
          }
          double rows = Cardinality.rows(new Join(remaining.get(a), remaining.get(b), JoinType.INNER, Exprs.and(conds)));
          if ((connected && !bestConnected) || rows < bestRows) {
            bestA = a;
            bestB = b;
            bestRows = rows;
            bestConnected = connected;
          }
        }
      }
      LogicalPlan a = remaining.get(bestA);
      LogicalPlan b = remaining.get(bestB);
      List<Expr> conds = connecting(a, b, unused);
      unused.removeAll(conds);
      remaining.remove(bestB);
      remaining.set(bestA, new Join(a, b, JoinType.INNER, Exprs.and(conds)));
    }
    LogicalPlan result = remaining.get(0);
    if (!unused.isEmpty()) {
      // Conditions over columns of a single part or none (constants): keep them as a filter.
      result = new io.kiln.logical.Filter(result, Exprs.and(unused));
    }
    return result;
  }

  private static List<Expr> connecting(LogicalPlan a, LogicalPlan b, List<Expr> conditions) {
    Set<ColumnRef> both = new HashSet<>(a.output());
    both.addAll(b.output());
    List<Expr> out = new ArrayList<>();
    for (Expr c : conditions) {
      Set<ColumnRef> cols = Exprs.columns(c);
      if (both.containsAll(cols) && !a.output().containsAll(cols) && !b.output().containsAll(cols)) {
        out.add(c);
      }
    }
    return out;
  }
}
