package io.kiln.physical;

import java.util.ArrayList;
import java.util.List;

/** A source followed by streaming operators; the sink is chosen by whoever runs it. */
public final class Pipeline {
  private final Source source;
  private final List<OperatorFactory> operators;
  private final FusionSpec.Aggregate aggregate;

  public Pipeline(Source source, List<OperatorFactory> operators) {
    this(source, operators, null);
  }

  private Pipeline(Source source, List<OperatorFactory> operators, FusionSpec.Aggregate aggregate) {
    this.source = source;
    this.operators = List.copyOf(operators);
    this.aggregate = aggregate;
  }

  /** The same pipeline, known to feed this hash aggregation (so compiled code can update it directly). */
  public Pipeline into(FusionSpec.Aggregate aggregate) {
    return new Pipeline(source, operators, aggregate);
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
    return new Pipeline(source, ops, aggregate);
  }

  /** The pipeline and everything it depends on, indented, for EXPLAIN. */
  public void explain(StringBuilder sb, int depth, String sinkName) {
    String pad = "  ".repeat(depth);
    sb.append(pad).append("Pipeline -> ").append(sinkName).append('\n');
    sb.append(pad).append("  source: ").append(source.describe()).append('\n');
    for (OperatorFactory op : operators) {
      sb.append(pad).append("  ").append(op.describe()).append('\n');
    }
    for (Pipeline p : source.dependencies()) {
      p.explain(sb, depth + 2, "(source)");
    }
    for (OperatorFactory op : operators) {
      for (Pipeline p : op.dependencies()) {
        p.explain(sb, depth + 2, "(" + op.describe() + " build)");
      }
    }
  }
}
