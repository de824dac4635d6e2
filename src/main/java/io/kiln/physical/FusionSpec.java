package io.kiln.physical;

import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import java.util.List;

/**
 * What the code generator needs to fuse a step into a pipeline's generated class: the step's
 * logical expressions over its input columns. Steps without one (join probes) run as their
 * interpreted operator inside the generated class.
 */
public interface FusionSpec {
  /** The input columns, in batch order. */
  List<ColumnRef> input();

  /** Keeps rows whose condition is TRUE. */
  record Filter(Expr condition, List<ColumnRef> input) implements FusionSpec {}

  /** Computes new columns. */
  record Project(List<Expr> exprs, List<ColumnRef> input) implements FusionSpec {}

  /** The hash aggregation a pipeline feeds: its keys and aggregates update the group table row by row. */
  record Aggregate(List<Expr> keys, List<AggregateCall> calls, List<ColumnRef> input) implements FusionSpec {}
}
