package io.kiln.physical.plan;

import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.JoinType;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a plan planned for one thread into one for a cluster, by placing exchanges where rows
 * must move between tasks: a hash repartition of both sides of a join on its keys, or a broadcast
 * of a small build side; PARTIAL, an exchange on the keys and FINAL around every aggregation; a
 * gather under the final sort, top-N, limit and result (each task cuts its own share first). A
 * cluster then cuts the plan at its exchanges into stages.
 *
 * <p>Each node is placed with where its rows are: in one task ({@code SINGLE}), spread over the
 * tasks of a scan's splits ({@code SPLIT}), or over the {@code partitions} tasks of a hash
 * exchange's partitions ({@code HASHED}). A node over several inputs runs in tasks that see each
 * input's share once: both sides hashed alike, or one side broadcast to the other's tasks.
 */
public final class ClusterPlanner {
  private enum Spread { SINGLE, SPLIT, HASHED }

  private record Placed(PhysicalNode node, Spread spread) {}

  private final PhysicalPlanner.Planned planned;
  private final int partitions;
  private final double broadcastMaxRows;
  private int nextId;

  private ClusterPlanner(PhysicalPlanner.Planned planned, int partitions, double broadcastMaxRows) {
    this.planned = planned;
    this.partitions = partitions;
    this.broadcastMaxRows = broadcastMaxRows;
    this.nextId = maxId(planned.root()) + 1;
  }

  /**
   * The plan of {@code planned} (planned for one thread: it has no exchanges) with the exchanges a
   * cluster needs; hash exchanges have {@code partitions} partitions, and a join's build side
   * expected to have at most {@code broadcastMaxRows} rows is broadcast when that moves and builds
   * fewer rows than hashing both sides (see {@link #broadcastPays}).
   */
  public static PhysicalNode distribute(PhysicalPlanner.Planned planned, int partitions, long broadcastMaxRows) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a cluster plan needs at least one partition, not " + partitions);
    }
    if (!(planned.root() instanceof PhysicalNode.Result r)) {
      throw new IllegalArgumentException("a plan to distribute ends in a Result node");
    }
    ClusterPlanner p = new ClusterPlanner(planned, partitions, broadcastMaxRows);
    Placed in = p.place(r.input());
    return new PhysicalNode.Result(r.id(), p.gathered(in));
  }

  private Placed place(PhysicalNode node) {
    if (node instanceof PhysicalNode.Scan) {
      return new Placed(node, Spread.SPLIT);
    }
    if (node instanceof PhysicalNode.Values) {
      return new Placed(node, Spread.SINGLE);
    }
    if (node instanceof PhysicalNode.Filter f) {
      Placed in = place(f.input());
      return new Placed(new PhysicalNode.Filter(f.id(), in.node(), f.condition()), in.spread());
    }
    if (node instanceof PhysicalNode.Project p) {
      Placed in = place(p.input());
      return new Placed(new PhysicalNode.Project(p.id(), in.node(), p.exprs(), p.output()), in.spread());
    }
    if (node instanceof PhysicalNode.HashJoin j) {
      return join(j);
    }
    if (node instanceof PhysicalNode.HashAggregate a) {
      return aggregate(a);
    }
    if (node instanceof PhysicalNode.Sort s) {
      return new Placed(new PhysicalNode.Sort(s.id(), gathered(place(s.input())), s.keys()), Spread.SINGLE);
    }
    if (node instanceof PhysicalNode.Window w) {
      return window(w);
    }
    if (node instanceof PhysicalNode.TopN t) {
      Placed in = place(t.input());
      if (in.spread() == Spread.SINGLE) {
        return new Placed(new PhysicalNode.TopN(t.id(), in.node(), t.keys(), t.limit(), t.offset()), Spread.SINGLE);
      }
      // Each task keeps only what could be in the answer; one task picks the answer from those.
      PhysicalNode local = new PhysicalNode.TopN(nextId++, in.node(), t.keys(), t.limit() + t.offset(), 0);
      return new Placed(new PhysicalNode.TopN(t.id(), gather(local), t.keys(), t.limit(), t.offset()), Spread.SINGLE);
    }
    if (node instanceof PhysicalNode.Limit l) {
      Placed in = place(l.input());
      if (in.spread() == Spread.SINGLE) {
        return new Placed(new PhysicalNode.Limit(l.id(), in.node(), l.limit(), l.offset()), Spread.SINGLE);
      }
      PhysicalNode local = new PhysicalNode.Limit(nextId++, in.node(), l.limit() + l.offset(), 0);
      return new Placed(new PhysicalNode.Limit(l.id(), gather(local), l.limit(), l.offset()), Spread.SINGLE);
    }
    if (node instanceof PhysicalNode.Union u) {
      return union(u);
    }
    throw new IllegalArgumentException("a cluster plan starts from a plan for one thread, which has no "
        + node.describe());
  }

  // ---------------------------------------------------------------- joins

  private Placed join(PhysicalNode.HashJoin j) {
    Placed probe = place(j.probe());
    Placed build = place(j.build());
    if (probe.spread() == Spread.SINGLE && build.spread() == Spread.SINGLE) {
      return new Placed(withInputs(j, probe.node(), build.node()), Spread.SINGLE);
    }
    // A NOT IN's NULLs and a nested loop's rows matter to every probe row.
    boolean needsWholeBuild = j.buildKeys().isEmpty() || j.nullAwareKey() >= 0;
    // Build rows a join emits itself must be in one task only.
    boolean buildPreserved = j.emitBuildSide() || j.type() == JoinType.FULL || j.type() == JoinType.RIGHT;
    if (!buildPreserved && (needsWholeBuild || broadcastPays(j))) {
      PhysicalNode broadcast = new PhysicalNode.Exchange(nextId++, build.node(), ExchangeKind.BROADCAST, List.of(),
          partitions);
      return new Placed(withInputs(j, probe.node(), broadcast), probe.spread());
    }
    if (!needsWholeBuild) {
      PhysicalNode p = new PhysicalNode.Exchange(nextId++, probe.node(), ExchangeKind.HASH, j.probeKeys(), partitions);
      PhysicalNode b = new PhysicalNode.Exchange(nextId++, build.node(), ExchangeKind.HASH, j.buildKeys(), partitions);
      return new Placed(withInputs(j, p, b), Spread.HASHED);
    }
    return new Placed(withInputs(j, gathered(probe), gathered(build)), Spread.SINGLE);
  }

  /**
   * Whether broadcasting the build side moves fewer rows than hashing both sides: a broadcast sends
   * the build rows to each of the partitions' tasks, hashing sends the rows of both sides once. So a
   * build side is broadcast when it is small (at most {@code broadcastMaxRows}) and its extra
   * copies, (partitions − 1) × build rows, stay below the probe rows a shuffle would move. (Charging
   * the broadcast its extra hash-table builds too, twice that, hashed small dimensions whose probe
   * side is a filtered table and made Q5, Q8 and Q9 slower on 3 workers.)
   */
  private boolean broadcastPays(PhysicalNode.HashJoin j) {
    double build = planned.estimatedRows(j.build().id());
    double probe = planned.estimatedRows(j.probe().id());
    return build <= broadcastMaxRows && (partitions - 1) * build < probe;
  }

  private static PhysicalNode withInputs(PhysicalNode.HashJoin j, PhysicalNode probe, PhysicalNode build) {
    return new PhysicalNode.HashJoin(j.id(), probe, build, j.type(), j.probeKeys(), j.buildKeys(), j.nullSafe(),
        j.residual(), j.nullAwareKey(), j.emitBuildSide(), j.output());
  }

  // ---------------------------------------------------------------- aggregation

  /** PARTIAL in each task, an exchange on the keys (a gather without keys), FINAL per partition. */
  private Placed aggregate(PhysicalNode.HashAggregate a) {
    if (a.mode() != AggregateMode.SINGLE) {
      throw new IllegalArgumentException("a cluster plan starts from a plan for one thread, which has no "
          + a.describe());
    }
    Placed in = place(a.input());
    if (in.spread() == Spread.SINGLE) {
      return new Placed(new PhysicalNode.HashAggregate(a.id(), in.node(), AggregateMode.SINGLE, a.keys(), a.calls(),
          a.output()), Spread.SINGLE);
    }
    int k = a.keys().size();
    List<ColumnRef> groupOutputs = a.output().subList(0, k);
    List<ColumnRef> partialOutput = new ArrayList<>(groupOutputs);
    for (ColumnRef c : a.output().subList(k, a.output().size())) {
      partialOutput.add(ColumnRef.fresh(c.name() + "_state", c.type()));
    }
    PhysicalNode partial = new PhysicalNode.HashAggregate(nextId++, in.node(), AggregateMode.PARTIAL, a.keys(),
        a.calls(), partialOutput);
    List<Expr> finalKeys = new ArrayList<>(groupOutputs);
    PhysicalNode exchange = k == 0 ? gather(partial)
        : new PhysicalNode.Exchange(nextId++, partial, ExchangeKind.HASH, finalKeys, partitions);
    return new Placed(new PhysicalNode.HashAggregate(a.id(), exchange, AggregateMode.FINAL, finalKeys, a.calls(),
        a.output()), k == 0 ? Spread.SINGLE : Spread.HASHED);
  }

  // ---------------------------------------------------------------- windows

  /**
   * A window needs every row of a partition in one task: its input hashed on the PARTITION BY keys
   * (each task then sorts and computes its partitions), or gathered to one task without them.
   */
  private Placed window(PhysicalNode.Window w) {
    Placed in = place(w.input());
    if (in.spread() == Spread.SINGLE) {
      return new Placed(w.withInput(in.node()), Spread.SINGLE);
    }
    if (w.partitionKeys().isEmpty()) {
      return new Placed(w.withInput(gather(in.node())), Spread.SINGLE);
    }
    PhysicalNode hashed = new PhysicalNode.Exchange(nextId++, in.node(), ExchangeKind.HASH, w.partitionKeys(),
        partitions);
    return new Placed(w.withInput(hashed), Spread.HASHED);
  }

  // ---------------------------------------------------------------- union

  /**
   * A union's tasks run every input's share of one partition: inputs in one task already, or
   * spread over a scan's splits, are hashed on all their columns first so that each lies over the
   * same partitions (the others already do).
   */
  private Placed union(PhysicalNode.Union u) {
    List<Placed> inputs = new ArrayList<>();
    boolean allSingle = true;
    for (PhysicalNode in : u.inputs()) {
      Placed p = place(in);
      inputs.add(p);
      allSingle &= p.spread() == Spread.SINGLE;
    }
    List<PhysicalNode> nodes = new ArrayList<>();
    if (allSingle || u.output().isEmpty()) {
      for (Placed p : inputs) {
        nodes.add(gathered(p));
      }
      return new Placed(new PhysicalNode.Union(u.id(), nodes, u.output()), Spread.SINGLE);
    }
    for (Placed p : inputs) {
      nodes.add(p.spread() == Spread.HASHED ? p.node() : new PhysicalNode.Exchange(nextId++, p.node(),
          ExchangeKind.HASH, new ArrayList<Expr>(p.node().output()), partitions));
    }
    return new Placed(new PhysicalNode.Union(u.id(), nodes, u.output()), Spread.HASHED);
  }

  // ---------------------------------------------------------------- helpers

  /** The node's rows in one task. */
  private PhysicalNode gathered(Placed p) {
    return p.spread() == Spread.SINGLE ? p.node() : gather(p.node());
  }

  private PhysicalNode gather(PhysicalNode node) {
    return new PhysicalNode.Exchange(nextId++, node, ExchangeKind.GATHER, List.of(), 1);
  }

  private static int maxId(PhysicalNode node) {
    int max = node.id();
    for (PhysicalNode in : node.inputs()) {
      max = Math.max(max, maxId(in));
    }
    return max;
  }
}
