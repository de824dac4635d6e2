package io.kiln.optimizer;

import io.kiln.error.KilnException;
import io.kiln.logical.Aggregate;
import io.kiln.logical.Call;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Plans;
import io.kiln.logical.Project;
import io.kiln.logical.SubqueryExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns subqueries into joins. Predicates that mention the outer query are pulled out of the
 * subquery (through filters, projections and aggregates, which then group by the correlated
 * columns) to become the join condition:
 * EXISTS / IN in a WHERE conjunct become SEMI joins, NOT EXISTS an ANTI join, NOT IN and any other
 * use of EXISTS / IN a MARK join with IN's NULL rules, and scalar subqueries a SINGLE join (a left
 * join that fails on a second match).
 */
final class DecorrelateSubqueries implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return Rewrites.bottomUp(plan, this::rewrite);
  }

  private LogicalPlan rewrite(LogicalPlan node) {
    if (node instanceof Filter) {
      Filter f = (Filter) node;
      if (!Exprs.containsSubquery(f.condition())) {
        return node;
      }
      LogicalPlan input = f.input();
      List<Expr> remaining = new ArrayList<>();
      for (Expr c : Exprs.conjuncts(f.condition())) {
        boolean negated = c instanceof Call && ((Call) c).function() == Function.NOT
            && ((Call) c).arg(0) instanceof SubqueryExpr;
        SubqueryExpr s = c instanceof SubqueryExpr ? (SubqueryExpr) c : negated ? (SubqueryExpr) ((Call) c).arg(0) : null;
        if (s != null && s.kind() != SubqueryExpr.Kind.SCALAR && !(negated && s.kind() == SubqueryExpr.Kind.IN)) {
          input = semiJoin(input, s, negated ? JoinType.ANTI : JoinType.SEMI);
        } else {
          Holder h = new Holder(input);
          remaining.add(replaceSubqueries(c, h));
          input = h.plan;
        }
      }
      LogicalPlan out = remaining.isEmpty() ? input : new Filter(input, Exprs.and(remaining));
      return restore(out, f.output());
    }
    if (node instanceof Project) {
      Project p = (Project) node;
      boolean any = false;
      for (Expr e : p.exprs()) {
        any |= Exprs.containsSubquery(e);
      }
      if (!any) {
        return node;
      }
      Holder h = new Holder(p.input());
      List<Expr> exprs = new ArrayList<>();
      for (Expr e : p.exprs()) {
        exprs.add(replaceSubqueries(e, h));
      }
      return new Project(h.plan, exprs, p.output());
    }
    for (Expr e : node.expressions()) {
      if (Exprs.containsSubquery(e)) {
        throw KilnException.unsupported("subqueries in " + node.describe());
      }
    }
    return node;
  }

  private static final class Holder {
    LogicalPlan plan;

    Holder(LogicalPlan plan) {
      this.plan = plan;
    }
  }

  /** Replaces each subquery in the expression by a column joined onto {@code h.plan}. */
  private Expr replaceSubqueries(Expr e, Holder h) {
    return Exprs.transform(e, x -> {
      if (!(x instanceof SubqueryExpr)) {
        return x;
      }
      SubqueryExpr s = (SubqueryExpr) x;
      LogicalPlan sub = apply(s.plan());
      Decorrelated d = decorrelate(sub, new HashSet<>(h.plan.output()));
      if (s.kind() == SubqueryExpr.Kind.SCALAR) {
        ColumnRef value = sub.output().get(0);
        h.plan = new Join(h.plan, d.plan, JoinType.SINGLE, Exprs.and(d.conditions));
        Expr empty = d.emptyValues.get(value);
        if (d.marker != null && empty != null) {
          empty = FoldConstants.fold(empty);
          if (!(empty instanceof io.kiln.logical.Literal && ((io.kiln.logical.Literal) empty).isNull())) {
            return Calls.caseWhen(List.of(Calls.isNull(d.marker, false)), List.of(empty), value);
          }
        }
        return value;
      }
      ColumnRef mark = Join.newMark();
      List<Expr> conds = new ArrayList<>(d.conditions);
      boolean nullAware = false;
      if (s.kind() == SubqueryExpr.Kind.IN) {
        conds.add(Calls.compare(Function.EQ, s.needle(), sub.output().get(0)));
        nullAware = true;
      }
      h.plan = new Join(h.plan, d.plan, JoinType.MARK, Exprs.and(conds), mark, nullAware);
      return mark;
    });
  }

  private LogicalPlan semiJoin(LogicalPlan input, SubqueryExpr s, JoinType type) {
    LogicalPlan sub = apply(s.plan());
    Decorrelated d = decorrelate(sub, new HashSet<>(input.output()));
    List<Expr> conds = new ArrayList<>(d.conditions);
    if (s.kind() == SubqueryExpr.Kind.IN) {
      conds.add(Calls.compare(Function.EQ, s.needle(), sub.output().get(0)));
    }
    return new Join(input, d.plan, type, Exprs.and(conds));
  }

  private static LogicalPlan restore(LogicalPlan plan, List<ColumnRef> output) {
    if (plan.output().equals(output)) {
      return plan;
    }
    return new Project(plan, new ArrayList<>(output), output);
  }

  /** A subquery without outer references, plus the predicates that joined it to the outer query. */
  static final class Decorrelated {
    final LogicalPlan plan;
    final List<Expr> conditions;
    /**
     * For a scalar aggregate turned into a grouped one: each output's value over an empty group
     * (count 0, others NULL), and a column that is never NULL in a matched row. The left join
     * yields NULL for groups with no rows, which is wrong for count; these fix that up.
     */
    final java.util.Map<ColumnRef, Expr> emptyValues;
    final ColumnRef marker;

    Decorrelated(LogicalPlan plan, List<Expr> conditions) {
      this(plan, conditions, java.util.Map.of(), null);
    }

    Decorrelated(LogicalPlan plan, List<Expr> conditions, java.util.Map<ColumnRef, Expr> emptyValues, ColumnRef marker) {
      this.plan = plan;
      this.conditions = conditions;
      this.emptyValues = emptyValues;
      this.marker = marker;
    }
  }

  /** {@code plan} with its references to the {@code outer} columns pulled out as join conditions. */
  static Decorrelated decorrelate(LogicalPlan plan, Set<ColumnRef> outer) {
    Set<ColumnRef> free = Plans.freeColumns(plan);
    free.retainAll(outer);
    if (free.isEmpty()) {
      return new Decorrelated(plan, List.of());
    }
    if (plan instanceof Filter) {
      Filter f = (Filter) plan;
      Decorrelated in = decorrelate(f.input(), outer);
      List<Expr> conds = new ArrayList<>(in.conditions);
      List<Expr> keep = new ArrayList<>();
      List<Expr> conjuncts = new ArrayList<>();
      for (Expr c : Exprs.conjuncts(f.condition())) {
        // A correlation repeated in every branch of an OR (TPC-DS q41) comes out as an equality.
        conjuncts.addAll(Exprs.conjuncts(PushDownPredicates.factorOr(c)));
      }
      for (Expr c : conjuncts) {
        Set<ColumnRef> cols = Exprs.columns(c);
        cols.retainAll(outer);
        if (cols.isEmpty()) {
          keep.add(c);
        } else {
          conds.add(c);
        }
      }
      return new Decorrelated(keep.isEmpty() ? in.plan : new Filter(in.plan, Exprs.and(keep)), conds,
          in.emptyValues, in.marker);
    }
    if (plan instanceof Project) {
      Project p = (Project) plan;
      for (Expr e : p.exprs()) {
        Set<ColumnRef> cols = Exprs.columns(e);
        cols.retainAll(outer);
        if (!cols.isEmpty()) {
          throw KilnException.unsupported("a correlated subquery that computes with outer columns in its SELECT list");
        }
      }
      Decorrelated in = decorrelate(p.input(), outer);
      List<Expr> exprs = new ArrayList<>(p.exprs());
      List<ColumnRef> outs = new ArrayList<>(p.output());
      for (Expr c : in.conditions) {
        for (ColumnRef col : Exprs.columns(c)) {
          if (!outer.contains(col) && !outs.contains(col)) {
            exprs.add(col);
            outs.add(col);
          }
        }
      }
      java.util.Map<ColumnRef, Expr> empty = new java.util.HashMap<>(in.emptyValues);
      for (int i = 0; i < p.exprs().size(); i++) {
        empty.put(p.output().get(i), Exprs.substitute(p.exprs().get(i), in.emptyValues));
      }
      return new Decorrelated(new Project(in.plan, exprs, outs), in.conditions, empty, in.marker);
    }
    if (plan instanceof Aggregate) {
      Aggregate a = (Aggregate) plan;
      Decorrelated in = decorrelate(a.input(), outer);
      List<Expr> keys = new ArrayList<>(a.groupKeys());
      List<ColumnRef> keyOuts = new ArrayList<>(a.groupOutputs());
      List<Expr> conds = new ArrayList<>();
      for (Expr c : in.conditions) {
        Expr inner = innerSideOfEquality(c, outer);
        if (inner == null) {
          throw KilnException.unsupported("a correlated aggregate subquery whose correlation is not an equality: " + c);
        }
        ColumnRef key;
        int at = keys.indexOf(inner);
        if (at >= 0) {
          key = keyOuts.get(at);
        } else {
          key = ColumnRef.fresh(inner instanceof ColumnRef ? ((ColumnRef) inner).name() : "corr", inner.type());
          keys.add(inner);
          keyOuts.add(key);
        }
        Call eq = (Call) c;
        Expr outerSide = eq.arg(0) == inner ? eq.arg(1) : eq.arg(0);
        conds.add(Calls.compare(Function.EQ, outerSide, key));
      }
      java.util.Map<ColumnRef, Expr> empty = new java.util.HashMap<>();
      ColumnRef marker = null;
      if (a.groupKeys().isEmpty() && !conds.isEmpty()) {
        // Grouping by the correlation keys drops the row a scalar aggregate gives for no input.
        for (int i = 0; i < a.aggregates().size(); i++) {
          io.kiln.logical.AggregateCall call = a.aggregates().get(i);
          empty.put(a.aggregateOutputs().get(i), call.zeroWithoutRows() ? io.kiln.logical.Literal.ofLong(0)
              : io.kiln.logical.Literal.nullOf(call.type()));
        }
        marker = keyOuts.get(a.groupKeys().size());
      }
      return new Decorrelated(new Aggregate(in.plan, keys, keyOuts, a.aggregates(), a.aggregateOutputs()), conds,
          empty, marker);
    }
    if (plan instanceof io.kiln.logical.Limit) {
      return limitPerCorrelation((io.kiln.logical.Limit) plan, outer);
    }
    throw KilnException.unsupported("this correlated subquery shape (outer reference under " + plan.describe() + ")");
  }

  /**
   * [ORDER BY ...] LIMIT n OFFSET m of a subquery correlated by equalities only: the first rows of
   * each group of equal inner sides, numbered by row_number() over them, so the limit applies per
   * outer row as it would running the subquery once per row.
   */
  private static Decorrelated limitPerCorrelation(io.kiln.logical.Limit limit, Set<ColumnRef> outer) {
    LogicalPlan input = limit.input();
    List<io.kiln.logical.SortKey> order = List.of();
    if (input instanceof io.kiln.logical.Sort) {
      order = ((io.kiln.logical.Sort) input).keys();
      input = ((io.kiln.logical.Sort) input).input();
    }
    Decorrelated in = decorrelate(input, outer);
    if (in.marker != null) {
      throw KilnException.unsupported("a correlated LIMIT over an aggregate without GROUP BY");
    }
    List<Expr> partition = new ArrayList<>();
    for (Expr c : in.conditions) {
      Expr inner = innerSideOfEquality(c, outer);
      if (inner == null) {
        throw KilnException.unsupported("a correlated LIMIT whose correlation is not an equality: " + c);
      }
      if (!partition.contains(inner)) {
        partition.add(inner);
      }
    }
    ColumnRef number = ColumnRef.fresh("row_number", io.kiln.types.DataType.BIGINT);
    LogicalPlan numbered = new io.kiln.logical.Window(in.plan, new io.kiln.logical.WindowSpec(partition, order),
        List.of(new io.kiln.logical.WindowCall(io.kiln.logical.WindowCall.Fn.ROW_NUMBER, List.of(),
            io.kiln.logical.WindowFrame.WHOLE_PARTITION, false, io.kiln.types.DataType.BIGINT)), List.of(number));
    List<Expr> keep = new ArrayList<>();
    keep.add(Calls.compare(Function.GT, number, io.kiln.logical.Literal.ofLong(limit.offset())));
    if (limit.limit() < Long.MAX_VALUE - limit.offset()) {
      keep.add(Calls.compare(Function.LE, number, io.kiln.logical.Literal.ofLong(limit.offset() + limit.limit())));
    }
    LogicalPlan kept = new Filter(numbered, Exprs.and(keep));
    return new Decorrelated(new Project(kept, new ArrayList<>(in.plan.output()), in.plan.output()), in.conditions,
        in.emptyValues, in.marker);
  }

  /** For {@code inner = outer} (either order), the inner side; null if not such an equality. */
  private static Expr innerSideOfEquality(Expr c, Set<ColumnRef> outer) {
    if (!(c instanceof Call) || ((Call) c).function() != Function.EQ) {
      return null;
    }
    Call eq = (Call) c;
    for (int i = 0; i < 2; i++) {
      Expr a = eq.arg(i);
      Expr b = eq.arg(1 - i);
      Set<ColumnRef> ac = Exprs.columns(a);
      Set<ColumnRef> bc = Exprs.columns(b);
      boolean aInner = !ac.isEmpty() && ac.stream().noneMatch(outer::contains);
      boolean bOuter = !bc.isEmpty() && outer.containsAll(bc);
      if (aInner && bOuter) {
        return a;
      }
    }
    return null;
  }
}
