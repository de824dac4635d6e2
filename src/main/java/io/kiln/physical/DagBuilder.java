package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.SortKey;
import io.kiln.physical.agg.ArgumentPairEvaluator;
import io.kiln.physical.agg.HashAggregateSink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.expr.VectorOps;
import io.kiln.physical.join.HashJoinFactory;
import io.kiln.physical.join.JoinBuildSink;
import io.kiln.physical.op.FilterOperator;
import io.kiln.physical.op.ProjectOperator;
import io.kiln.physical.plan.AggregateMode;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.RuntimeFilter;
import io.kiln.physical.plan.PlanFingerprint;
import io.kiln.physical.plan.TableResolver;
import io.kiln.physical.sink.CollectSink;
import io.kiln.physical.sink.ExchangeSink;
import io.kiln.physical.sink.LimitSink;
import io.kiln.physical.sink.SortSink;
import io.kiln.physical.source.BatchListSource;
import io.kiln.physical.source.PartitionSource;
import io.kiln.physical.source.ScanSource;
import io.kiln.physical.window.WindowSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.vector.ValueVector;

/**
 * Turns a physical plan into running pipelines for one execution: compiles expressions into
 * evaluators, makes operators and sinks, and cuts the plan into pipelines at its breakers
 * (aggregate, sort, top-N, limit, join build, result). Streaming nodes (filter, project, join
 * probe) join the pipeline of their input; a breaker binds the pipelines of its input to its sink,
 * and its result is the source of a new pipeline that waits for them.
 */
public final class DagBuilder {
  private final ExecContext ctx;
  private final TableResolver tables;
  private final PipelineBodies bodies;
  private final StageInputs stageInputs;
  private final List<BoundPipeline> bound = new ArrayList<>();
  /** The hash joins laid out so far, by node id: what probe-side scans' runtime filters wait for. */
  private final Map<Integer, LaidOutJoin> joins = new HashMap<>();

  private record LaidOutJoin(HashJoinFactory factory, List<BoundPipeline> builds) {}

  /** The scans laid out that carry runtime filters. */
  private final List<FilteredScan> filteredScans = new ArrayList<>();

  private record FilteredScan(PhysicalNode.Scan scan, ScanRuntimeFilters runtime, Source source) {}
  /** Breaker subplans already laid out, by fingerprint: a second use reads the first one's result. */
  private final Map<String, Materialized> materialized = new HashMap<>();

  private record Materialized(ResultSlot slot, List<BoundPipeline> producers) {}

  private DagBuilder(ExecContext ctx, TableResolver tables, StageInputs stageInputs, PipelineBodies bodies) {
    this.ctx = ctx;
    this.tables = tables;
    this.stageInputs = stageInputs;
    this.bodies = bodies;
  }

  /** The pipelines of {@code plan} (a {@link PhysicalNode.Result}) for this execution; sinks close with {@code ctx}. */
  public static PipelineDag build(PhysicalNode plan, TableResolver tables, PipelineBodies bodies, ExecContext ctx) {
    if (!(plan instanceof PhysicalNode.Result)) {
      throw new IllegalArgumentException("a plan to run ends in a Result node, not " + plan.describe());
    }
    DagBuilder b = new DagBuilder(ctx, tables, StageInputs.NONE, bodies);
    CollectSink result = ctx.register(new CollectSink());
    b.bind(b.open(((PhysicalNode.Result) plan).input()), result, c -> {});
    b.resolveRuntimeFilters();
    return new PipelineDag(plan, b.bound, result);
  }

  /**
   * The pipelines of a cluster stage's fragment for one task: its stage inputs read from
   * {@code stageInputs}, and its rows go to {@code output} (the task's shuffle writer), which the
   * caller owns. {@link PipelineDag#run} then returns no batches.
   */
  public static PipelineDag buildFragment(PhysicalNode fragment, TableResolver tables, StageInputs stageInputs,
      PipelineBodies bodies, ExecContext ctx, Sink output) {
    if (fragment instanceof PhysicalNode.Result) {
      throw new IllegalArgumentException("a stage fragment ends in the stage's output, not a Result node");
    }
    DagBuilder b = new DagBuilder(ctx, tables, stageInputs, bodies);
    b.bind(b.open(fragment), output, c -> {});
    b.resolveRuntimeFilters();
    return new PipelineDag(fragment, b.bound, null);
  }

  /** The pipelines, not yet bound to a sink, whose rows are the node's result in its output order. */
  private List<Pipeline> open(PhysicalNode node) {
    if (node instanceof PhysicalNode.Scan) {
      return List.of(scan((PhysicalNode.Scan) node));
    }
    if (node instanceof PhysicalNode.Filter) {
      PhysicalNode.Filter f = (PhysicalNode.Filter) node;
      List<ColumnRef> in = f.input().output();
      Evaluator predicate = new ExprCompiler(in).compile(f.condition());
      return then(open(f.input()), FilterOperator.factory(f.id(), predicate, f.condition(), in));
    }
    if (node instanceof PhysicalNode.Project) {
      PhysicalNode.Project p = (PhysicalNode.Project) node;
      List<ColumnRef> in = p.input().output();
      List<Evaluator> exprs = new ExprCompiler(in).compileAll(p.exprs());
      return then(open(p.input()), ProjectOperator.factory(p.id(), exprs, p.exprs(), in, p.output().toString()));
    }
    if (node instanceof PhysicalNode.HashJoin) {
      return join((PhysicalNode.HashJoin) node);
    }
    if (node instanceof PhysicalNode.HashAggregate) {
      return aggregate((PhysicalNode.HashAggregate) node);
    }
    if (node instanceof PhysicalNode.Sort) {
      PhysicalNode.Sort s = (PhysicalNode.Sort) node;
      return sort(s, s.keys(), -1, 0);
    }
    if (node instanceof PhysicalNode.TopN) {
      PhysicalNode.TopN t = (PhysicalNode.TopN) node;
      return sort(t, t.keys(), t.limit(), t.offset());
    }
    if (node instanceof PhysicalNode.Window w) {
      return window(w);
    }
    if (node instanceof PhysicalNode.Limit) {
      PhysicalNode.Limit l = (PhysicalNode.Limit) node;
      return materialize(l, "Limit " + l.limit() + " offset " + l.offset(), slot -> {
        LimitSink sink = ctx.register(new LimitSink(l.limit(), l.offset()));
        return bind(open(l.input()), sink, c -> slot.set(sink.take(c)));
      });
    }
    if (node instanceof PhysicalNode.Exchange) {
      return exchange((PhysicalNode.Exchange) node);
    }
    if (node instanceof PhysicalNode.StageInput in) {
      return List.of(new Pipeline(stageInputs.open(in)));
    }
    if (node instanceof PhysicalNode.Union) {
      List<Pipeline> all = new ArrayList<>();
      for (PhysicalNode in : node.inputs()) {
        all.addAll(open(in));
      }
      return all;
    }
    if (node instanceof PhysicalNode.Values) {
      PhysicalNode.Values v = (PhysicalNode.Values) node;
      return List.of(new Pipeline(new BatchListSource(c -> List.of(values(v, c)), v.id(),
          "Values " + v.rows().size() + " rows")));
    }
    throw new IllegalArgumentException("no pipeline step for " + node.describe());
  }

  private static List<Pipeline> then(List<Pipeline> pipelines, OperatorFactory op) {
    List<Pipeline> out = new ArrayList<>();
    for (Pipeline p : pipelines) {
      out.add(p.then(op));
    }
    return out;
  }

  /** Ends the pipelines in {@code sink}; {@code onComplete} runs once all of them have finished. */
  private List<BoundPipeline> bind(List<Pipeline> pipelines, Sink sink, Consumer<ExecContext> onComplete) {
    SinkTarget target = new SinkTarget(sink, pipelines.size(), onComplete);
    List<BoundPipeline> out = new ArrayList<>();
    for (Pipeline p : pipelines) {
      BoundPipeline b = new BoundPipeline(bound.size() + 1, p, target, bodies);
      bound.add(b);
      out.add(b);
    }
    return out;
  }

  /**
   * A breaker's result as the source of a new pipeline: {@code producers} binds the breaker's
   * input to its sink and fills the slot when done. An equal subplan laid out before is read again
   * instead of computed twice.
   */
  private List<Pipeline> materialize(PhysicalNode breaker, String shown,
      Function<ResultSlot, List<BoundPipeline>> producers) {
    String key = PlanFingerprint.of(breaker);
    Materialized m = materialized.get(key);
    if (m == null) {
      // EXPLAIN ANALYZE shows the memory each breaker's result holds.
      ResultSlot slot = ctx.register(new ResultSlot(ctx.rowCounts().counter(breaker.id(), "result bytes")));
      m = new Materialized(slot, producers.apply(slot));
      materialized.put(key, m);
    }
    m.slot().addReader();
    ResultSlot slot = m.slot();
    return List.of(new Pipeline(new BatchListSource(slot::take, breaker.id(), shown)).after(m.producers()));
  }

  // ---------------------------------------------------------------- scan

  /**
   * The scan's own task descriptors when the plan carries them (a worker's share), else all of the
   * table. Its runtime filters are resolved once the whole DAG is laid out ({@link #resolveRuntimeFilters}).
   */
  private Pipeline scan(PhysicalNode.Scan s) {
    ScanRuntimeFilters runtime = new ScanRuntimeFilters();
    Pipeline p = new Pipeline(ScanSource.of(s, tables.table(s.table()), runtime));
    if (!s.runtimeFilters().isEmpty()) {
      filteredScans.add(new FilteredScan(s, runtime, p.source()));
    }
    return p;
  }

  /**
   * Gives each scan the runtime filters whose joins this DAG runs: the scan waits for their build
   * pipelines and skips rows by their keys. A filter whose join runs elsewhere (another stage of a
   * cluster), or whose build depends on the scan itself (a subplan shared by both), is left out.
   */
  private void resolveRuntimeFilters() {
    for (FilteredScan f : filteredScans) {
      BoundPipeline scanPipeline = null;
      for (BoundPipeline b : bound) {
        if (b.pipeline().source() == f.source()) {
          scanPipeline = b;
        }
      }
      for (RuntimeFilter filter : f.scan().runtimeFilters()) {
        LaidOutJoin j = joins.get(filter.joinId());
        if (j != null && scanPipeline != null && !dependsOn(j.builds(), scanPipeline)) {
          f.runtime().add(() -> j.factory().runtimePredicates(filter.key(), filter.column()), j.builds());
        }
      }
    }
  }

  /** Whether any of {@code pipelines} waits, directly or not, for {@code target}. */
  private static boolean dependsOn(List<BoundPipeline> pipelines, BoundPipeline target) {
    java.util.Set<BoundPipeline> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<BoundPipeline> todo = new java.util.ArrayDeque<>(pipelines);
    while (!todo.isEmpty()) {
      BoundPipeline p = todo.pop();
      if (p == target) {
        return true;
      }
      if (seen.add(p)) {
        todo.addAll(p.dependencies());
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- joins

  private List<Pipeline> join(PhysicalNode.HashJoin j) {
    List<ColumnRef> probeColumns = j.probe().output();
    List<ColumnRef> buildColumns = j.build().output();
    boolean[] safe = new boolean[j.nullSafe().size()];
    for (int i = 0; i < safe.length; i++) {
      safe[i] = j.nullSafe().get(i);
    }
    HashJoinFactory factory = new HashJoinFactory(j.id(), j.type(), j.probeKeys(), j.buildKeys(), safe, j.residual(),
        probeColumns, buildColumns, j.nullAwareKey(),
        "keys=" + j.probeKeys() + "=" + j.buildKeys() + (j.residual() == null ? "" : " residual=" + j.residual()),
        j.emitBuildSide());
    List<Pipeline> build = new ArrayList<>();
    for (Pipeline p : open(j.build())) {
      // Compiled build pipelines hash the keys as they write the rows.
      build.add(factory.buildFusion() == null ? p : p.intoJoinBuild(factory.buildFusion()));
    }
    // Under a memory limit, a build that outgrows its share spills and the join runs a partition at a time.
    JoinBuildSink sink = ctx.register(factory.canSpill()
        ? new JoinBuildSink(factory.buildKeys(), factory.describe(), () -> ctx.rowCounts().counter(j.id(), "bytes spilled"))
        : new JoinBuildSink());
    List<BoundPipeline> builds = bind(build, sink, c -> factory.build(sink, c));
    joins.put(j.id(), new LaidOutJoin(factory, builds));
    List<Pipeline> probe = open(j.probe());
    if (probe.size() > 1 && factory.emitsAtFinish()) {
      // The build rows a probe left unmatched are emitted when its pipeline finishes; with several
      // probe pipelines (a UNION ALL) one could emit rows a later one matches. Gather them first.
      probe = gathered(j.probe(), probe);
    }
    factory.probedBy(probe.size());
    List<Pipeline> out = new ArrayList<>();
    for (Pipeline p : probe) {
      out.add(p.then(factory).after(builds));
    }
    return out;
  }

  /** The input's rows dealt out to the exchange's partitions; the next pipeline reads a partition per morsel. */
  private List<Pipeline> exchange(PhysicalNode.Exchange x) {
    List<Evaluator> keys = new ExprCompiler(x.input().output()).compileAll(x.keys());
    ExchangeSink sink = ctx.register(new ExchangeSink(x.kind(), keys, x.partitions()));
    PartitionSlot slot = ctx.register(new PartitionSlot());
    List<BoundPipeline> producers = bind(open(x.input()), sink, c -> slot.set(sink.take()));
    return List.of(new Pipeline(new PartitionSource(c -> slot.take(), x.id(), x.describe())).after(producers));
  }

  /** The node's rows collected into one result, read by one pipeline. */
  private List<Pipeline> gathered(PhysicalNode node, List<Pipeline> pipelines) {
    ResultSlot slot = ctx.register(new ResultSlot(new LongAdder()));
    slot.addReader();
    CollectSink sink = ctx.register(new CollectSink());
    List<BoundPipeline> producers = bind(pipelines, sink, c -> slot.set(sink.take()));
    return List.of(new Pipeline(new BatchListSource(slot::take, -1, "Gathered " + node.describe()))
        .after(producers));
  }

  // ---------------------------------------------------------------- breakers

  private List<Pipeline> aggregate(PhysicalNode.HashAggregate a) {
    String shown = "keys=" + a.keys() + " aggs=" + a.calls();
    String mode = a.mode() == AggregateMode.SINGLE ? "" : a.mode() + " ";
    return materialize(a, "HashAggregate " + mode + shown, slot -> {
      List<ColumnRef> in = a.input().output();
      if (a.mode() == AggregateMode.FINAL) {
        return finalAggregate(a, shown, slot);
      }
      ExprCompiler compiler = new ExprCompiler(in);
      List<Evaluator> keys = compiler.compileAll(a.keys());
      List<Evaluator> args = new ArrayList<>();
      List<Evaluator> filters = new ArrayList<>();
      boolean twoArguments = false;
      for (io.kiln.logical.AggregateCall c : a.calls()) {
        if (c.by() != null) {
          twoArguments = true;
          args.add(new ArgumentPairEvaluator(compiler.compile(c.arg()), compiler.compile(c.by())));
          filters.add(c.filter() == null ? null : compiler.compile(c.filter()));
          continue;
        }
        args.add(c.arg() == null ? null : compiler.compile(c.arg()));
        filters.add(c.filter() == null ? null : compiler.compile(c.filter()));
      }
      // EXPLAIN ANALYZE shows the rows grouped by dictionary ids when every key is a column (else there are none).
      boolean columnKeys = !a.keys().isEmpty() && a.keys().stream().allMatch(k -> k instanceof ColumnRef);
      LongAdder byIds = columnKeys ? ctx.rowCounts().counter(a.id(), "rows grouped by dictionary id") : new LongAdder();
      HashAggregateSink sink;
      if (a.mode() == AggregateMode.PARTIAL) {
        sink = HashAggregateSink.partial(keys, a.calls(), args, filters, shown, byIds);
        if (!a.keys().isEmpty()) {
          // Each thread's groups go on as they are: the exchange and FINAL bring equal keys together.
          // Without keys the threads' states are merged into the one row a task sends.
          sink.keepingLocalsApart();
        }
      } else {
        sink = new HashAggregateSink(keys, a.calls(), args, filters, shown, byIds);
      }
      sink.countingSpillsIn(() -> ctx.rowCounts().counter(a.id(), "bytes spilled"));
      ctx.register(sink);
      FusionSpec.Aggregate fused = new FusionSpec.Aggregate(a.keys(), a.calls(), in);
      List<Pipeline> input = new ArrayList<>();
      for (Pipeline p : open(a.input())) {
        // Generated aggregation updates states one argument at a time; a two-argument call (arg_min,
        // arg_max) leaves the aggregation to the sink, which takes the pipeline's batches.
        input.add(twoArguments ? p : p.into(fused));
      }
      return bind(input, sink, c -> slot.set(sink.takeAll(c)));
    });
  }

  /**
   * FINAL merges PARTIAL's states of equal keys. Over a hash exchange on its keys, each partition
   * holds whole groups, so each morsel (a partition) is aggregated on its own, in parallel.
   */
  private List<BoundPipeline> finalAggregate(PhysicalNode.HashAggregate a, String shown, ResultSlot slot) {
    HashAggregateSink sink = HashAggregateSink.finalMerge(Exprs.types(a.keys()), a.calls(), shown)
        .countingSpillsIn(() -> ctx.rowCounts().counter(a.id(), "bytes spilled"));
    if (a.input() instanceof PhysicalNode.Exchange x && x.kind() == PhysicalNode.ExchangeKind.HASH
        && x.keys().equals(a.keys())) {
      sink.keepingLocalsApart();
    }
    ctx.register(sink);
    // Generated code updates states from rows; FINAL merges states, so its pipelines run interpreted.
    return bind(open(a.input()), sink, c -> slot.set(sink.takeAll(c)));
  }

  private List<Pipeline> sort(PhysicalNode node, List<SortKey> sortKeys, long limit, long offset) {
    PhysicalNode input = node.inputs().get(0);
    List<ColumnRef> layout = input.output();
    int n = sortKeys.size();
    int[] keys = new int[n];
    boolean[] asc = new boolean[n];
    boolean[] nullsFirst = new boolean[n];
    for (int i = 0; i < n; i++) {
      SortKey k = sortKeys.get(i);
      keys[i] = layout.indexOf(k.expr());
      if (keys[i] < 0) {
        throw new IllegalArgumentException("sort key " + k.expr() + " is not an input column of " + node.describe());
      }
      asc[i] = k.ascending();
      nullsFirst[i] = k.nullsFirst();
    }
    String shown = sortKeys.toString();
    String name = (limit >= 0 ? "TopN " + limit + " " : "Sort ") + shown;
    return materialize(node, name, slot -> {
      List<Pipeline> in = open(input);
      if (limit >= 0) {
        // Only a top-N has a per-batch step to fuse (its cut-off); a full sort just keeps the batches.
        in = feedingTopN(in, keys, asc, nullsFirst, layout, name);
      }
      SortSink sink = ctx.register(new SortSink(Exprs.types(layout), keys, asc, nullsFirst, limit, offset, shown))
          .countingSpillsIn(() -> ctx.rowCounts().counter(node.id(), "bytes spilled"));
      return bind(in, sink, c -> slot.set(List.of(sink.take(c))));
    });
  }

  /**
   * A window node is a breaker: its sink keeps the input's rows and computes the windows when
   * they are all in; its result is the source of the next pipeline. The pipelines feeding it have
   * no per-row step to fuse, so compiled mode compiles them as it does a sort's input.
   */
  private List<Pipeline> window(PhysicalNode.Window w) {
    String shown = "partition=" + w.partitionKeys() + " order=" + w.orderKeys() + " calls=" + w.calls();
    return materialize(w, "Window " + shown, slot -> {
      WindowSink sink = new WindowSink(w.input().output(), w.partitionKeys(), w.orderKeys(), w.calls(), shown);
      if (w.input() instanceof PhysicalNode.Exchange x && x.kind() == PhysicalNode.ExchangeKind.HASH
          && x.keys().equals(w.partitionKeys())) {
        sink.perMorsel();
      }
      ctx.register(sink);
      return bind(open(w.input()), sink, c -> slot.set(sink.take(c)));
    });
  }

  /** The pipelines, each knowing it feeds this top-N, so compiled code can compare rows with its cut-off. */
  private static List<Pipeline> feedingTopN(List<Pipeline> input, int[] keys, boolean[] asc, boolean[] nullsFirst,
      List<ColumnRef> layout, String shown) {
    List<Integer> keyColumns = new ArrayList<>();
    List<Boolean> ascending = new ArrayList<>();
    List<Boolean> nulls = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      keyColumns.add(keys[i]);
      ascending.add(asc[i]);
      nulls.add(nullsFirst[i]);
    }
    FusionSpec.TopN topN = new FusionSpec.TopN(keyColumns, ascending, nulls, List.copyOf(layout), shown);
    List<Pipeline> out = new ArrayList<>();
    for (Pipeline p : input) {
      out.add(p.intoTopN(topN));
    }
    return out;
  }


  private static Batch values(PhysicalNode.Values v, ExecContext ctx) {
    List<ColumnRef> out = v.output();
    int rows = v.rows().size();
    ValueVector[] cols = new ValueVector[out.size()];
    try (Batch empty = new Batch(new ValueVector[0], 1)) {
      for (int c = 0; c < cols.length; c++) {
        cols[c] = Vectors.allocate(out.get(c).type(), out.get(c).name(), ctx.allocator(), rows);
        for (int r = 0; r < rows; r++) {
          Expr e = v.rows().get(r).get(c);
          try (ValueVector value = new ExprCompiler(List.of()).compile(e).evaluate(empty, ctx.allocator())) {
            VectorOps.write(cols[c], r, VectorOps.read(value, 0));
          }
        }
      }
    } catch (RuntimeException e) {
      Batches.closeAll(cols);
      throw e;
    }
    return new Batch(cols, rows);
  }
}
