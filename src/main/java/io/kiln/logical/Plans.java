package io.kiln.logical;

import java.util.LinkedHashSet;
import java.util.Set;

/** Structural helpers over plans. */
public final class Plans {
  private Plans() {}

  /** Columns a plan references but does not produce anywhere inside it: its outer references. */
  public static Set<ColumnRef> freeColumns(LogicalPlan plan) {
    Set<ColumnRef> used = new LinkedHashSet<>();
    Set<ColumnRef> produced = new LinkedHashSet<>();
    collect(plan, used, produced);
    used.removeAll(produced);
    return used;
  }

  private static void collect(LogicalPlan plan, Set<ColumnRef> used, Set<ColumnRef> produced) {
    produced.addAll(plan.output());
    for (Expr e : plan.expressions()) {
      Exprs.collectColumns(e, used);
    }
    for (LogicalPlan in : plan.inputs()) {
      collect(in, used, produced);
    }
  }
}
