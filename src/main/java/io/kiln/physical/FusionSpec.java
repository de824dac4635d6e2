package io.kiln.physical;

import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.JoinType;
import io.kiln.physical.join.ProbeTable;
import io.kiln.types.DataType;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the code generator needs to fuse a step into a pipeline's generated class: the step's
 * logical expressions over its input columns. Steps without one (join probes of shapes the
 * generator does not handle) run as their interpreted operator inside the generated class.
 */
public interface FusionSpec {
  /** The input columns, in batch order. */
  List<ColumnRef> input();

  /** Keeps rows whose condition is TRUE. */
  record Filter(Expr condition, List<ColumnRef> input) implements FusionSpec {}

  /** Computes new columns. */
  record Project(List<Expr> exprs, List<ColumnRef> input) implements FusionSpec {}

  /**
   * A hash join's probe: the probe key expressions over the input columns, matched against the
   * built table's keys of {@code buildKeyTypes}; the residual condition (or null) over the input
   * columns followed by the {@code build} columns. The output is the input columns, then the build
   * columns (INNER, LEFT, RIGHT, FULL, SINGLE), nothing more (SEMI, ANTI) or the mark (MARK). A
   * SEMI or ANTI join that {@code preservesBuild} passes no rows on: it marks the build rows it
   * matches, and its operator emits the build side's matched (SEMI) or unmatched (ANTI) rows at
   * the end. {@code table} gives the built table once the join is prepared, null before.
   */
  record Probe(JoinType type, List<Expr> keys, List<DataType> buildKeyTypes, List<Boolean> nullSafe, Expr residual,
      int nullAwareKey, boolean preservesBuild, List<ColumnRef> input, List<ColumnRef> build,
      Supplier<ProbeTable> table, String shown) implements FusionSpec {}

  /** The hash aggregation a pipeline feeds: its keys and aggregates update the group table row by row. */
  record Aggregate(List<Expr> keys, List<AggregateCall> calls, List<ColumnRef> input) implements FusionSpec {}

  /**
   * The hash join build a pipeline feeds: generated code hashes each row's join key (the build key
   * expressions over the input columns, folded with KeyHash as the build table would) in the loop
   * that writes the row, and hands the hashes with the batch to the build sink.
   */
  record JoinBuild(List<Expr> keys, List<ColumnRef> input, String shown) implements FusionSpec {}

  /**
   * The top-N (ORDER BY ... LIMIT) a pipeline feeds: generated code compares each row's sort keys
   * (input columns {@code keys}, with their directions and NULL placement) against the worker's
   * cut-off row in its row loop, and writes only the rows that sort before it.
   */
  record TopN(List<Integer> keys, List<Boolean> ascending, List<Boolean> nullsFirst, List<ColumnRef> input,
      String shown) implements FusionSpec {}
}
