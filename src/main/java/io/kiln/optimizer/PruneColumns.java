package io.kiln.optimizer;

import io.kiln.logical.Aggregate;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Join;
import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.logical.Sort;
import io.kiln.logical.SortKey;
import io.kiln.logical.Window;
import io.kiln.logical.WindowCall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Projection pushdown: every node computes and passes on only the columns someone above reads, and
 * scans read only those columns from the file.
 */
final class PruneColumns implements OptimizerRule {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return prune(plan, new LinkedHashSet<>(plan.output()));
  }

  private LogicalPlan prune(LogicalPlan plan, Set<ColumnRef> required) {
    if (plan instanceof Scan) {
      Scan s = (Scan) plan;
      Set<ColumnRef> need = new LinkedHashSet<>(required);
      for (Expr f : s.filters()) {
        need.addAll(Exprs.columns(f));
      }
      List<ColumnRef> keep = new ArrayList<>();
      for (ColumnRef c : s.output()) {
        if (need.contains(c)) {
          keep.add(c);
        }
      }
      if (keep.isEmpty() && !s.output().isEmpty()) {
        keep.add(s.output().get(0)); // a scan still has to say how many rows there are
      }
      return s.withColumns(keep);
    }
    if (plan instanceof Project) {
      Project p = (Project) plan;
      List<Expr> exprs = new ArrayList<>();
      List<ColumnRef> outs = new ArrayList<>();
      Set<ColumnRef> need = new LinkedHashSet<>();
      for (int i = 0; i < p.exprs().size(); i++) {
        if (required.contains(p.output().get(i))) {
          exprs.add(p.exprs().get(i));
          outs.add(p.output().get(i));
          need.addAll(Exprs.columns(p.exprs().get(i)));
        }
      }
      return new Project(prune(p.input(), need), exprs, outs);
    }
    if (plan instanceof Filter) {
      Filter f = (Filter) plan;
      Set<ColumnRef> need = new LinkedHashSet<>(required);
      need.addAll(Exprs.columns(f.condition()));
      return new Filter(prune(f.input(), need), f.condition());
    }
    if (plan instanceof Join) {
      Join j = (Join) plan;
      Set<ColumnRef> need = new LinkedHashSet<>(required);
      if (j.condition() != null) {
        need.addAll(Exprs.columns(j.condition()));
      }
      // A join copies its inputs' columns into its output and, on the build side, into its hash
      // table: drop what only a lower join's condition or a scan's filter read before they get there.
      return j.withInputs(List.of(narrow(prune(j.left(), need), need), narrow(prune(j.right(), need), need)));
    }
    if (plan instanceof Aggregate) {
      Aggregate a = (Aggregate) plan;
      List<AggregateCall> calls = new ArrayList<>();
      List<ColumnRef> outs = new ArrayList<>();
      Set<ColumnRef> need = new LinkedHashSet<>();
      for (Expr k : a.groupKeys()) {
        need.addAll(Exprs.columns(k));
      }
      for (int i = 0; i < a.aggregates().size(); i++) {
        if (required.contains(a.aggregateOutputs().get(i))) {
          AggregateCall c = a.aggregates().get(i);
          calls.add(c);
          outs.add(a.aggregateOutputs().get(i));
          for (Expr e : c.exprs()) {
            need.addAll(Exprs.columns(e));
          }
        }
      }
      return new Aggregate(prune(a.input(), need), a.groupKeys(), a.groupOutputs(), calls, outs);
    }
    if (plan instanceof Sort) {
      Set<ColumnRef> need = new LinkedHashSet<>(required);
      for (SortKey k : ((Sort) plan).keys()) {
        need.addAll(Exprs.columns(k.expr()));
      }
      return plan.withInputs(List.of(prune(plan.input(), need)));
    }
    if (plan instanceof Window) {
      return window((Window) plan, required);
    }
    if (plan instanceof Limit) {
      return plan.withInputs(List.of(prune(plan.input(), required)));
    }
    // Union and Values are positional: keep their columns, prune inside each input independently.
    List<LogicalPlan> inputs = new ArrayList<>();
    for (LogicalPlan in : plan.inputs()) {
      inputs.add(prune(in, new LinkedHashSet<>(in.output())));
    }
    return inputs.isEmpty() ? plan : plan.withInputs(inputs);
  }

  /** A window passes its input's columns on and computes only the calls someone reads. */
  private LogicalPlan window(Window w, Set<ColumnRef> required) {
    List<WindowCall> calls = new ArrayList<>();
    List<ColumnRef> outs = new ArrayList<>();
    Set<ColumnRef> need = new LinkedHashSet<>(required);
    for (Expr e : w.spec().partitionBy()) {
      need.addAll(Exprs.columns(e));
    }
    for (SortKey k : w.spec().orderBy()) {
      need.addAll(Exprs.columns(k.expr()));
    }
    for (int i = 0; i < w.calls().size(); i++) {
      if (required.contains(w.callOutputs().get(i))) {
        calls.add(w.calls().get(i));
        outs.add(w.callOutputs().get(i));
        for (Expr a : w.calls().get(i).args()) {
          need.addAll(Exprs.columns(a));
        }
      }
    }
    if (calls.isEmpty()) {
      // No one reads a result: the window changes no rows, only their order, which nothing promises.
      return prune(w.input(), required);
    }
    return w.withCalls(prune(w.input(), need), calls, outs);
  }

  /** {@code plan} under a projection to the columns of it in {@code need}, when it outputs others too. */
  private static LogicalPlan narrow(LogicalPlan plan, Set<ColumnRef> need) {
    List<ColumnRef> keep = new ArrayList<>();
    for (ColumnRef c : plan.output()) {
      if (need.contains(c)) {
        keep.add(c);
      }
    }
    // With no column needed (one side of a cross product), the input is left whole: like a scan
    // (above), it still has to say how many rows there are.
    if (keep.isEmpty() || keep.size() == plan.output().size()) {
      return plan;
    }
    return new Project(plan, new ArrayList<>(keep), keep);
  }
}
