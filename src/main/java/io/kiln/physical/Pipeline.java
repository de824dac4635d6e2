package io.kiln.physical;

import java.util.ArrayList;
import java.util.List;

/**
 * A source followed by streaming operators, while the DAG is being laid out: the pipelines it must
 * wait for (build sides its join probes read, breakers its source reads) travel with it until it
 * is bound to a sink as a {@link BoundPipeline}.
 */
public final class Pipeline {
  private final Source source;
  private final List<OperatorFactory> operators;
  private final FusionSpec.Aggregate aggregate;
  private final FusionSpec.JoinBuild joinBuild;
  private final FusionSpec.TopN topN;
  private final List<BoundPipeline> dependencies;

  public Pipeline(Source source, List<OperatorFactory> operators) {
    this(source, operators, null, null, null, List.of());
  }

  private Pipeline(Source source, List<OperatorFactory> operators, FusionSpec.Aggregate aggregate,
      FusionSpec.JoinBuild joinBuild, FusionSpec.TopN topN, List<BoundPipeline> dependencies) {
    this.source = source;
    this.operators = List.copyOf(operators);
    this.aggregate = aggregate;
    this.joinBuild = joinBuild;
    this.topN = topN;
    this.dependencies = List.copyOf(dependencies);
  }

  /** The same pipeline, known to feed this top-N (so compiled code can drop rows behind its cut-off). */
  public Pipeline intoTopN(FusionSpec.TopN topN) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN, dependencies);
  }

  /** The top-N this pipeline feeds, or null. */
  public FusionSpec.TopN topN() {
    return topN;
  }

  /** The same pipeline, known to feed this hash aggregation (so compiled code can update it directly). */
  public Pipeline into(FusionSpec.Aggregate aggregate) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN, dependencies);
  }

  /** The same pipeline, known to feed this hash join build (so compiled code can hash the keys as it writes rows). */
  public Pipeline intoJoinBuild(FusionSpec.JoinBuild joinBuild) {
    return new Pipeline(source, operators, aggregate, joinBuild, topN, dependencies);
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

  /** The operators from {@code from} on, on the same source: what follows operator {@code from - 1}. */
  public Pipeline tail(int from) {
    return new Pipeline(source, operators.subList(from, operators.size()));
  }

  /** The same pipeline, also waiting for {@code more} to finish. */
  public Pipeline after(List<BoundPipeline> more) {
    List<BoundPipeline> all = new ArrayList<>(dependencies);
    all.addAll(more);
    return new Pipeline(source, operators, aggregate, joinBuild, topN, all);
  }

  /** The pipelines this one waits for. */
  public List<BoundPipeline> dependencies() {
    return dependencies;
  }

  public Pipeline then(OperatorFactory op) {
    List<OperatorFactory> ops = new ArrayList<>(operators);
    ops.add(op);
    return new Pipeline(source, ops, aggregate, joinBuild, topN, dependencies);
  }
}
