package io.kiln.optimizer;

import io.kiln.logical.Aggregate;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Join;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates calls whose arguments are all constants (DATE '...' - INTERVAL '90' DAY becomes a date)
 * and simplifies boolean logic with constant sides, so predicates reach scans in a usable form.
 */
final class FoldConstants implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return Rewrites.bottomUp(plan, this::foldNode);
  }

  private LogicalPlan foldNode(LogicalPlan p) {
    if (p instanceof Filter) {
      Filter f = (Filter) p;
      Expr c = fold(f.condition());
      return Exprs.isTrue(c) ? f.input() : new Filter(f.input(), c);
    }
    if (p instanceof Project) {
      Project pr = (Project) p;
      List<Expr> exprs = new ArrayList<>();
      for (Expr e : pr.exprs()) {
        exprs.add(fold(e));
      }
      return new Project(pr.input(), exprs, pr.output());
    }
    if (p instanceof Join && ((Join) p).condition() != null) {
      Join j = (Join) p;
      return j.withCondition(fold(j.condition()));
    }
    if (p instanceof Aggregate) {
      Aggregate a = (Aggregate) p;
      List<AggregateCall> calls = new ArrayList<>();
      for (AggregateCall c : a.aggregates()) {
        calls.add(c.withExprs(c.arg() == null ? null : fold(c.arg()), c.by() == null ? null : fold(c.by()),
            c.filter() == null ? null : fold(c.filter())));
      }
      List<Expr> keys = new ArrayList<>();
      for (Expr k : a.groupKeys()) {
        keys.add(fold(k));
      }
      return new Aggregate(a.input(), keys, a.groupOutputs(), calls, a.aggregateOutputs());
    }
    if (p instanceof Scan && !((Scan) p).filters().isEmpty()) {
      Scan s = (Scan) p;
      List<Expr> filters = new ArrayList<>();
      for (Expr e : s.filters()) {
        filters.add(fold(e));
      }
      return s.withFilters(filters);
    }
    return p;
  }

  static Expr fold(Expr e) {
    return Exprs.transform(e, FoldConstants::foldOne);
  }

  private static Expr foldOne(Expr e) {
    if (!(e instanceof Call)) {
      return e;
    }
    Call c = (Call) e;
    if (c.function() == Function.AND || c.function() == Function.OR) {
      boolean and = c.function() == Function.AND;
      Expr a = c.arg(0);
      Expr b = c.arg(1);
      if (isBool(a, !and) || isBool(b, !and)) {
        return Literal.ofBoolean(!and);
      }
      if (isBool(a, and)) {
        return b;
      }
      if (isBool(b, and)) {
        return a;
      }
    }
    for (Expr a : c.args()) {
      if (!(a instanceof Literal)) {
        return e;
      }
    }
    if (c.type().id() == DataType.Id.INTERVAL) {
      return e;
    }
    try {
      return new Literal(ConstantEvaluator.evaluate(c), c.type());
    } catch (RuntimeException failure) {
      // Leave it for run time, where the error (if any) is reported only if the row is reached.
      return e;
    }
  }

  private static boolean isBool(Expr e, boolean value) {
    return e instanceof Literal && Boolean.valueOf(value).equals(((Literal) e).value());
  }
}
