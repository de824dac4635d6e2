package io.kiln.optimizer;

import io.kiln.logical.Aggregate;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.logical.Sort;
import io.kiln.logical.Union;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves each WHERE/HAVING conjunct as close to the data as it can go: through projections (by
 * substitution) and aggregates (when it only reads grouping keys), into the matching side of a join
 * or into a join's condition, and finally into scans. Inner-join conditions that read one side only
 * go down that side too. Outer joins only let through what keeps their semantics.
 */
final class PushDownPredicates implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return push(plan, new ArrayList<>());
  }

  private LogicalPlan push(LogicalPlan plan, List<Expr> preds) {
    if (plan instanceof Filter) {
      List<Expr> all = new ArrayList<>(preds);
      for (Expr c : Exprs.conjuncts(((Filter) plan).condition())) {
        all.addAll(Exprs.conjuncts(factorOr(c)));
      }
      return push(plan.input(), all);
    }
    if (plan instanceof Scan) {
      Scan s = (Scan) plan;
      if (preds.isEmpty()) {
        return s;
      }
      List<Expr> filters = new ArrayList<>(s.filters());
      filters.addAll(preds);
      return s.withFilters(filters);
    }
    if (plan instanceof Project) {
      Project p = (Project) plan;
      Map<ColumnRef, Expr> defs = new HashMap<>();
      for (int i = 0; i < p.exprs().size(); i++) {
        defs.put(p.output().get(i), p.exprs().get(i));
      }
      List<Expr> down = new ArrayList<>();
      for (Expr e : preds) {
        down.add(Exprs.substitute(e, defs));
      }
      return p.withInputs(List.of(push(p.input(), down)));
    }
    if (plan instanceof Sort) {
      return plan.withInputs(List.of(push(plan.input(), preds)));
    }
    if (plan instanceof Aggregate) {
      Aggregate a = (Aggregate) plan;
      Map<ColumnRef, Expr> keys = new HashMap<>();
      for (int i = 0; i < a.groupKeys().size(); i++) {
        keys.put(a.groupOutputs().get(i), a.groupKeys().get(i));
      }
      List<Expr> down = new ArrayList<>();
      List<Expr> stay = new ArrayList<>();
      for (Expr e : preds) {
        if (keys.keySet().containsAll(Exprs.columns(e)) && !a.groupKeys().isEmpty()) {
          down.add(Exprs.substitute(e, keys));
        } else {
          stay.add(e);
        }
      }
      return filter(a.withInputs(List.of(push(a.input(), down))), stay);
    }
    if (plan instanceof Union) {
      List<LogicalPlan> inputs = new ArrayList<>();
      for (LogicalPlan in : plan.inputs()) {
        Map<ColumnRef, Expr> map = new HashMap<>();
        for (int i = 0; i < plan.output().size(); i++) {
          map.put(plan.output().get(i), in.output().get(i));
        }
        List<Expr> down = new ArrayList<>();
        for (Expr e : preds) {
          down.add(Exprs.substitute(e, map));
        }
        inputs.add(push(in, down));
      }
      return plan.withInputs(inputs);
    }
    if (plan instanceof Join) {
      return pushIntoJoin((Join) plan, preds);
    }
    // Limit, Values and anything else: predicates stay above; keep optimizing below.
    List<LogicalPlan> inputs = new ArrayList<>();
    for (LogicalPlan in : plan.inputs()) {
      inputs.add(push(in, new ArrayList<>()));
    }
    return filter(inputs.isEmpty() ? plan : plan.withInputs(inputs), preds);
  }

  private LogicalPlan pushIntoJoin(Join j, List<Expr> preds) {
    Set<ColumnRef> left = new HashSet<>(j.left().output());
    Set<ColumnRef> right = new HashSet<>(j.right().output());
    JoinType type = j.type();
    List<Expr> toLeft = new ArrayList<>();
    List<Expr> toRight = new ArrayList<>();
    List<Expr> condition = new ArrayList<>();
    List<Expr> stay = new ArrayList<>();
    boolean leftPreserving = type == JoinType.INNER || type == JoinType.LEFT || type == JoinType.SEMI
        || type == JoinType.ANTI || type == JoinType.MARK || type == JoinType.SINGLE;
    boolean rightPreserving = type == JoinType.INNER || type == JoinType.RIGHT;
    for (Expr e : preds) {
      Set<ColumnRef> cols = Exprs.columns(e);
      if (left.containsAll(cols) && leftPreserving) {
        toLeft.add(e);
      } else if (right.containsAll(cols) && rightPreserving) {
        toRight.add(e);
      } else if (type == JoinType.INNER) {
        condition.add(e);
      } else {
        stay.add(e);
      }
    }
    if (j.condition() != null) {
      List<Expr> own = Exprs.conjuncts(j.condition());
      for (int i = 0; i < own.size(); i++) {
        Expr e = own.get(i);
        Set<ColumnRef> cols = Exprs.columns(e);
        boolean pinned = j.nullAware() && i == own.size() - 1;
        if (!pinned && !cols.isEmpty() && right.containsAll(cols) && type != JoinType.RIGHT && type != JoinType.FULL) {
          toRight.add(e);
        } else if (!pinned && !cols.isEmpty() && left.containsAll(cols) && (type == JoinType.INNER || type == JoinType.RIGHT)) {
          toLeft.add(e);
        } else {
          condition.add(e);
        }
      }
    }
    LogicalPlan l = push(j.left(), toLeft);
    LogicalPlan r = push(j.right(), toRight);
    Join out = new Join(l, r, type, Exprs.and(condition), j.mark(), j.nullAware());
    return filter(out, stay);
  }

  /**
   * (a AND b) OR (a AND c) becomes a AND (b OR c): a join key repeated in every branch of an OR
   * (TPC-H Q19) then becomes a join condition instead of leaving a cross product.
   */
  static Expr factorOr(Expr e) {
    if (!(e instanceof io.kiln.logical.Call) || ((io.kiln.logical.Call) e).function() != io.kiln.logical.Function.OR) {
      return e;
    }
    List<Expr> branches = new ArrayList<>();
    collectOr(e, branches);
    List<List<Expr>> conj = new ArrayList<>();
    for (Expr b : branches) {
      conj.add(Exprs.conjuncts(b));
    }
    List<Expr> common = new ArrayList<>();
    for (Expr c : conj.get(0)) {
      boolean everywhere = true;
      for (List<Expr> other : conj) {
        everywhere &= other.contains(c);
      }
      if (everywhere && !common.contains(c)) {
        common.add(c);
      }
    }
    if (common.isEmpty()) {
      return e;
    }
    Expr rest = null;
    for (List<Expr> branch : conj) {
      List<Expr> left = new ArrayList<>(branch);
      left.removeAll(common);
      if (left.isEmpty()) {
        rest = null; // one branch is just the common part: the OR adds nothing
        return Exprs.and(common);
      }
      Expr b = Exprs.and(left);
      rest = rest == null ? b : io.kiln.logical.Call.of(io.kiln.logical.Function.OR, io.kiln.types.DataType.BOOLEAN, rest, b);
    }
    List<Expr> all = new ArrayList<>(common);
    all.add(rest);
    return Exprs.and(all);
  }

  private static void collectOr(Expr e, List<Expr> out) {
    if (e instanceof io.kiln.logical.Call && ((io.kiln.logical.Call) e).function() == io.kiln.logical.Function.OR) {
      for (Expr c : e.children()) {
        collectOr(c, out);
      }
    } else {
      out.add(e);
    }
  }

  private static LogicalPlan filter(LogicalPlan plan, List<Expr> preds) {
    return preds.isEmpty() ? plan : new Filter(plan, Exprs.and(preds));
  }
}
