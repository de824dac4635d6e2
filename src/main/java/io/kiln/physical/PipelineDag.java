package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.exec.DagExecutor;
import io.kiln.exec.ExecContext;
import io.kiln.exec.RowCounts;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.sink.CollectSink;
import java.util.List;
import java.util.function.Function;

/**
 * A physical plan laid out as pipelines for one execution: each pipeline has an id, a source,
 * streaming operators, a sink and the pipelines it waits for. The last pipelines feed the query's
 * result.
 */
public final class PipelineDag {
  private final PhysicalNode plan;
  private final List<BoundPipeline> pipelines;
  /** The query result's sink; null for a stage fragment, whose sink the caller owns. */
  private final CollectSink result;

  PipelineDag(PhysicalNode plan, List<BoundPipeline> pipelines, CollectSink result) {
    this.plan = plan;
    this.pipelines = List.copyOf(pipelines);
    this.result = result;
  }

  public PhysicalNode plan() {
    return plan;
  }

  /** In id order, which runs every pipeline after those it waits for. */
  public List<BoundPipeline> pipelines() {
    return pipelines;
  }

  /** Rows its pipelines' sources have produced so far, summed: how far a running task has come. */
  public long rowsRead(RowCounts counts) {
    long rows = 0;
    for (BoundPipeline p : pipelines) {
      rows += Math.max(0, counts.rows(p.pipeline().source().nodeId()));
    }
    return rows;
  }

  /** Runs every pipeline; the result's batches belong to the caller (none for a fragment built with its own sink). */
  public List<Batch> run(ExecContext ctx) {
    DagExecutor.run(pipelines, ctx);
    return result == null ? List.of() : result.take();
  }

  /**
   * The plan tree with node ids, then each pipeline with its id, what it waits for, its source,
   * operators and sink; with {@code counts}, the rows each node produced (EXPLAIN ANALYZE).
   */
  public String explain(RowCounts counts) {
    // A union's and the result's rows are their inputs': they have no counter of their own.
    StringBuilder sb = new StringBuilder(PlanText.tree(plan, n -> n instanceof PhysicalNode.Union
        || n instanceof PhysicalNode.Result ? "" : rows(counts, n.id(), true)));
    sb.append("Pipelines:\n");
    for (BoundPipeline p : pipelines) {
      sb.append("Pipeline ").append(p.id());
      if (!p.dependencies().isEmpty()) {
        sb.append(" (after");
        for (BoundPipeline d : p.dependencies()) {
          sb.append(' ').append(d.id());
        }
        sb.append(')');
      }
      sb.append(" -> ").append(p.sink().describe());
      if (counts != null && p.mode() != null) {
        sb.append(" [").append(p.mode()).append(String.format(java.util.Locale.ROOT, ", %.1f ms", p.millis()));
        if (p.sinkBytes() > 0) {
          sb.append(", sink holds ").append(p.sinkBytes()).append(" bytes");
        }
        sb.append(']');
      }
      sb.append('\n');
      Pipeline pipeline = p.pipeline();
      sb.append("  source: ").append(pipeline.source().describe()).append(rows(counts, pipeline.source().nodeId(), false))
          .append('\n');
      for (OperatorFactory op : pipeline.operators()) {
        sb.append("  ").append(op.describe()).append(rows(counts, op.nodeId(), false)).append('\n');
      }
    }
    return sb.toString();
  }

  /** A node's rows, and with {@code details} its further counts (shown once, on the plan tree). */
  private static String rows(RowCounts counts, int node, boolean details) {
    if (counts == null) {
      return "";
    }
    long n = counts.rows(node);
    if (n < 0) {
      return " (not run)";
    }
    StringBuilder sb = new StringBuilder(" (rows=").append(n);
    if (details) {
      counts.details(node).forEach((name, count) -> sb.append(", ").append(name).append('=').append(count));
    }
    return sb.append(')').toString();
  }

  /** A plan tree with node ids, as EXPLAIN prints it (for plans not built into pipelines here: a cluster's). */
  public static String tree(PhysicalNode root) {
    return PlanText.tree(root, n -> "");
  }

  /** The plan tree as EXPLAIN prints it. */
  static final class PlanText {
    private PlanText() {}

    static String tree(PhysicalNode root, Function<PhysicalNode, String> annotation) {
      StringBuilder sb = new StringBuilder();
      node(root, 0, annotation, sb);
      return sb.toString();
    }

    private static void node(PhysicalNode n, int depth, Function<PhysicalNode, String> annotation, StringBuilder sb) {
      sb.append("  ".repeat(depth)).append('[').append(n.id()).append("] ").append(n.describe())
          .append(annotation.apply(n)).append('\n');
      for (PhysicalNode in : n.inputs()) {
        node(in, depth + 1, annotation, sb);
      }
    }
  }
}
