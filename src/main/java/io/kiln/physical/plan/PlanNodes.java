package io.kiln.physical.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Rewrites of plan trees: a node with other inputs, or every node of a tree mapped bottom up. */
public final class PlanNodes {
  private PlanNodes() {}

  /** {@code node} with {@code inputs} (as many as it has, in its order) in place of its own; everything else kept. */
  public static PhysicalNode withInputs(PhysicalNode node, List<PhysicalNode> inputs) {
    if (inputs.size() != node.inputs().size()) {
      throw new IllegalArgumentException(node.describe() + " takes " + node.inputs().size() + " inputs, not "
          + inputs.size());
    }
    if (node.inputs().isEmpty()) {
      return node;
    }
    PhysicalNode in = inputs.get(0);
    if (node instanceof PhysicalNode.Filter f) {
      return new PhysicalNode.Filter(f.id(), in, f.condition());
    }
    if (node instanceof PhysicalNode.Project p) {
      return new PhysicalNode.Project(p.id(), in, p.exprs(), p.output());
    }
    if (node instanceof PhysicalNode.HashJoin j) {
      return new PhysicalNode.HashJoin(j.id(), in, inputs.get(1), j.type(), j.probeKeys(), j.buildKeys(),
          j.nullSafe(), j.residual(), j.nullAwareKey(), j.emitBuildSide(), j.output());
    }
    if (node instanceof PhysicalNode.HashAggregate a) {
      return new PhysicalNode.HashAggregate(a.id(), in, a.mode(), a.keys(), a.calls(), a.output());
    }
    if (node instanceof PhysicalNode.Sort s) {
      return new PhysicalNode.Sort(s.id(), in, s.keys());
    }
    if (node instanceof PhysicalNode.TopN t) {
      return new PhysicalNode.TopN(t.id(), in, t.keys(), t.limit(), t.offset());
    }
    if (node instanceof PhysicalNode.Window w) {
      return w.withInput(in);
    }
    if (node instanceof PhysicalNode.Limit l) {
      return new PhysicalNode.Limit(l.id(), in, l.limit(), l.offset());
    }
    if (node instanceof PhysicalNode.Union u) {
      return new PhysicalNode.Union(u.id(), inputs, u.output());
    }
    if (node instanceof PhysicalNode.Exchange x) {
      return new PhysicalNode.Exchange(x.id(), in, x.kind(), x.keys(), x.partitions());
    }
    if (node instanceof PhysicalNode.Result r) {
      return new PhysicalNode.Result(r.id(), in);
    }
    throw new IllegalArgumentException("no rewrite for " + node.describe());
  }

  /** The tree with {@code f} applied to every node after its inputs were (nodes {@code f} returns as they are stay). */
  public static PhysicalNode mapBottomUp(PhysicalNode node, UnaryOperator<PhysicalNode> f) {
    List<PhysicalNode> mapped = new ArrayList<>();
    boolean changed = false;
    for (PhysicalNode in : node.inputs()) {
      PhysicalNode m = mapBottomUp(in, f);
      mapped.add(m);
      changed |= m != in;
    }
    return f.apply(changed ? withInputs(node, mapped) : node);
  }

  /** Every node of the tree of {@code kind}, in depth-first order. */
  public static <T extends PhysicalNode> List<T> find(PhysicalNode node, Class<T> kind) {
    List<T> out = new ArrayList<>();
    collect(node, kind, out);
    return out;
  }

  private static <T extends PhysicalNode> void collect(PhysicalNode node, Class<T> kind, List<T> out) {
    if (kind.isInstance(node)) {
      out.add(kind.cast(node));
    }
    for (PhysicalNode in : node.inputs()) {
      collect(in, kind, out);
    }
  }
}
