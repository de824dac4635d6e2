package io.kiln.sql;

import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Window;
import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowExpr;
import io.kiln.logical.WindowSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Moves the window function calls of a SELECT's expressions into {@link Window} nodes: one node
 * per distinct window spec (so calls sharing PARTITION BY and ORDER BY share one sort), stacked
 * in the order the specs first appear, and puts each node's output column where its call was.
 */
final class WindowNodes {
  private WindowNodes() {}

  /** The plan with the windows of {@code exprs} on top; {@code exprs} is rewritten in place. */
  static LogicalPlan place(LogicalPlan plan, List<Expr> exprs) {
    Map<WindowSpec, Map<WindowCall, ColumnRef>> bySpec = new LinkedHashMap<>();
    Map<WindowExpr, ColumnRef> columns = new LinkedHashMap<>();
    for (Expr e : exprs) {
      collect(e, bySpec, columns);
    }
    if (columns.isEmpty()) {
      return plan;
    }
    for (Map.Entry<WindowSpec, Map<WindowCall, ColumnRef>> spec : bySpec.entrySet()) {
      plan = new Window(plan, spec.getKey(), new ArrayList<>(spec.getValue().keySet()),
          new ArrayList<>(spec.getValue().values()));
    }
    for (int i = 0; i < exprs.size(); i++) {
      exprs.set(i, replace(exprs.get(i), columns));
    }
    return plan;
  }

  private static void collect(Expr e, Map<WindowSpec, Map<WindowCall, ColumnRef>> bySpec,
      Map<WindowExpr, ColumnRef> columns) {
    if (e instanceof WindowExpr) {
      WindowExpr w = (WindowExpr) e;
      Map<WindowCall, ColumnRef> calls = bySpec.computeIfAbsent(w.spec(), s -> new LinkedHashMap<>());
      ColumnRef out = calls.computeIfAbsent(w.call(),
          c -> ColumnRef.fresh(c.fn().name().toLowerCase(Locale.ROOT), c.type()));
      columns.put(w, out);
      return;
    }
    for (Expr c : e.children()) {
      collect(c, bySpec, columns);
    }
  }

  private static Expr replace(Expr e, Map<WindowExpr, ColumnRef> columns) {
    if (e instanceof WindowExpr) {
      return columns.get(e);
    }
    List<Expr> children = e.children();
    if (children.isEmpty()) {
      return e;
    }
    List<Expr> out = new ArrayList<>();
    for (Expr c : children) {
      out.add(replace(c, columns));
    }
    return e.withChildren(out);
  }
}
