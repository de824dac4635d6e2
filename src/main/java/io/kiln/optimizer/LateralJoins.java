package io.kiln.optimizer;

import io.kiln.error.KilnException;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Plans;
import io.kiln.logical.Project;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code left JOIN LATERAL (right) ON on}, where {@code right} may name {@code left}'s columns, as a
 * plain join: the references are pulled out of {@code right} as join conditions the way correlated
 * subqueries are decorrelated ({@link DecorrelateSubqueries}), so {@code right} runs once, not once
 * per left row. The binder calls this while it binds the FROM clause, so that a shape that cannot be
 * decorrelated is reported with its place in the SQL.
 */
public final class LateralJoins {
  private LateralJoins() {}

  /**
   * The join, its output {@code left}'s columns then {@code right}'s. {@code type} is INNER or LEFT;
   * {@code on} is null for none (a comma or CROSS JOIN LATERAL).
   */
  public static LogicalPlan join(LogicalPlan left, LogicalPlan right, JoinType type, Expr on) {
    Set<ColumnRef> outer = new HashSet<>(left.output());
    Set<ColumnRef> free = Plans.freeColumns(right);
    free.retainAll(outer);
    if (free.isEmpty()) {
      return new Join(left, right, type, on);
    }
    if (type != JoinType.INNER && type != JoinType.LEFT) {
      throw KilnException.unsupported(type + " JOIN LATERAL (only inner, comma, CROSS and LEFT joins can be lateral)");
    }
    boolean onTrue = on == null || on.equals(Literal.ofBoolean(true));
    // A select list that computes with left columns is computed above the join.
    Project computed = null;
    LogicalPlan body = right;
    if (right instanceof Project && mentions(((Project) right).exprs(), outer)) {
      computed = (Project) right;
      body = computed.input();
      if (type == JoinType.LEFT) {
        throw KilnException.unsupported("LEFT JOIN LATERAL whose select list computes with the left side's columns");
      }
    }
    DecorrelateSubqueries.Decorrelated d = DecorrelateSubqueries.decorrelate(body, outer);
    List<Expr> conditions = new ArrayList<>(d.conditions);
    boolean scalarAggregate = d.marker != null;
    if (scalarAggregate && type == JoinType.LEFT && !onTrue) {
      throw KilnException.unsupported("LEFT JOIN LATERAL over an aggregate without GROUP BY with an ON condition"
          + " other than true");
    }
    boolean onAfter = computed != null || scalarAggregate; // ON may name what is computed above the join
    if (!onAfter && !onTrue) {
      conditions.add(on);
    }
    // An aggregate without GROUP BY gives one row for every left row, also for none of its own rows.
    JoinType joinType = scalarAggregate ? JoinType.LEFT : type;
    LogicalPlan plan = new Join(left, d.plan, joinType, conditions.isEmpty() ? null : Exprs.and(conditions));
    List<Expr> exprs = new ArrayList<>(left.output());
    List<ColumnRef> outs = new ArrayList<>(left.output());
    for (ColumnRef c : body.output()) {
      Expr value = c;
      Expr empty = d.emptyValues.get(c);
      if (scalarAggregate && empty != null) {
        empty = FoldConstants.fold(empty);
        if (!(empty instanceof Literal && ((Literal) empty).isNull())) {
          value = Calls.caseWhen(List.of(Calls.isNull(d.marker, false)), List.of(empty), c);
        }
      }
      exprs.add(value);
      outs.add(c);
    }
    plan = new Project(plan, exprs, outs);
    if (computed != null) {
      List<Expr> top = new ArrayList<>(left.output());
      top.addAll(computed.exprs());
      List<ColumnRef> topOuts = new ArrayList<>(left.output());
      topOuts.addAll(computed.output());
      plan = new Project(plan, top, topOuts);
    }
    if (onAfter && !onTrue) {
      plan = new Filter(plan, on);
    }
    return plan;
  }

  private static boolean mentions(List<Expr> exprs, Set<ColumnRef> columns) {
    for (Expr e : exprs) {
      for (ColumnRef c : Exprs.columns(e)) {
        if (columns.contains(c)) {
          return true;
        }
      }
    }
    return false;
  }
}
