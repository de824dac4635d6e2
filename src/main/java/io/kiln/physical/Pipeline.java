package io.kiln.physical;

import java.util.ArrayList;
import java.util.List;

/** A source followed by streaming operators; the sink is chosen by whoever runs it. */
public final class Pipeline {
  private final Source source;
  private final List<OperatorFactory> operators;
  private final FusionSpec.Aggregate aggregate;
  private final FusionSpec.JoinBuild joinBuild;
  private final FusionSpec.TopN topN;

  public Pipeline(Source source, List<OperatorFactory> operators) {
    this(source, operators, null, null, null);
  }

  private Pipeline(Source source, List<OperatorFactory> operators, FusionSpec.Aggregate aggregate,
      FusionSpec.JoinBuild joinBuild, FusionSpec.TopN topN) {
    this.source = source;
    this.operators = List.copyOf(operators);
    this.aggregate = aggregate;
    this.joinBuild = joinBuild;
    this.topN = topN;
  }

  /** The same pipeline, known to feed this top-N (so compiled code can drop rows behind its cut-off). */
  public Pipeline intoTopN(FusionSpec.TopN topN) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN);
  }

  /** The top-N this pipeline feeds, or null. */
  public FusionSpec.TopN topN() {
    return topN;
  }

  /** The same pipeline, known to feed this hash aggregation (so compiled code can update it directly). */
  public Pipeline into(FusionSpec.Aggregate aggregate) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN);
  }

  /** The same pipeline, known to feed this hash join build (so compiled code can hash the keys as it writes rows). */
  public Pipeline intoJoinBuild(FusionSpec.JoinBuild joinBuild) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN);
  }

  /** The join build this pipeline feeds, or null. */
  public FusionSpec.JoinBuild joinBuild() {
    return joinBuild;
  }

  /** The aggregation this pipeline feeds, or null if its sink takes batches. */
  public FusionSpec.Aggregate aggregate() {
    return aggregate;
  }

  public Pipeline(Source source) {
    this(source, List.of());
  }

  public Source source() {
    return source;
  }

  public List<OperatorFactory> operators() {
    return operators;
  }

  public Pipeline then(OperatorFactory op) {
    List<OperatorFactory> ops = new ArrayList<>(operators);
    ops.add(op);
    return new Pipeline(source, ops, aggregate, joinBuild, topN);
  }

  /** The pipeline and everything it depends on, indented, for EXPLAIN. */
  public void explain(StringBuilder sb, int depth, String sinkName) {
    explain(sb, depth, sinkName, null);
  }

  /** The same, with each source's and operator's output rows when {@code counts} is given (EXPLAIN ANALYZE). */
  public void explain(StringBuilder sb, int depth, String sinkName, io.kiln.exec.RowCounts counts) {
    String pad = "  ".repeat(depth);
    sb.append(pad).append("Pipeline -> ").append(sinkName).append('\n');
    sb.append(pad).append("  source: ").append(source.describe()).append(rows(counts, source)).append('\n');
    for (OperatorFactory op : operators) {
      sb.append(pad).append("  ").append(op.describe()).append(rows(counts, op)).append('\n');
    }
    for (Pipeline p : source.dependencies()) {
      p.explain(sb, depth + 2, "(source)", counts);
    }
    for (OperatorFactory op : operators) {
      for (Pipeline p : op.dependencies()) {
        p.explain(sb, depth + 2, "(" + op.describe() + " build)", counts);
      }
    }
  }

  private static String rows(io.kiln.exec.RowCounts counts, Object node) {
    if (counts == null) {
      return "";
    }
    long n = counts.rows(node);
    if (n < 0) {
      return " (not run)";
    }
    StringBuilder sb = new StringBuilder(" (rows=").append(n);
    counts.details(node).forEach((name, count) -> sb.append(", ").append(name).append('=').append(count));
    return sb.append(')').toString();
  }
}
