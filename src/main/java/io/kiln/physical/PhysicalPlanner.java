package io.kiln.physical;

import io.kiln.error.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanRequest;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.exec.ExecContext;
import io.kiln.exec.Executor;
import io.kiln.logical.Aggregate;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.Cardinality;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Limit;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.logical.Sort;
import io.kiln.logical.SortKey;
import io.kiln.logical.Union;
import io.kiln.logical.Values;
import io.kiln.physical.agg.HashAggregateSink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.join.HashJoinFactory;
import io.kiln.physical.op.FilterOperator;
import io.kiln.physical.op.ProjectOperator;
import io.kiln.physical.sink.CollectSink;
import io.kiln.physical.sink.LimitSink;
import io.kiln.physical.sink.SortSink;
import io.kiln.physical.source.BatchListSource;
import io.kiln.physical.source.ScanSource;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.vector.ValueVector;

/**
 * Lays a logical plan out as pipelines: streaming nodes (filter, project, join probe) join the
 * pipeline of their input; breakers (aggregate, sort, limit, join build) end a pipeline in a sink
 * whose result becomes the source of the next. Nothing runs until the pipelines are executed.
 */
public final class PhysicalPlanner {
  private final SharedResults shared = new SharedResults();
  /**
   * Columns some aggregation groups by as they are: a scan producing one is asked for its
   * dictionary ids, which the aggregation uses when the column reaches it unchanged (see
   * {@link io.kiln.physical.agg.DictionaryGroups}). Column ids are unique, so a scan's column in
   * this set is the very column grouped on, though other steps may rebuild its rows on the way.
   */
  private final Set<ColumnRef> groupedColumns = new HashSet<>();

  /** Pipelines whose rows, in {@code node.output()} order, are the node's result. */
  public List<Pipeline> plan(LogicalPlan node) {
    if (node instanceof Scan) {
      return List.of(scan((Scan) node));
    }
    if (node instanceof Filter) {
      Filter f = (Filter) node;
      Evaluator predicate = new ExprCompiler(f.input().output()).compile(f.condition());
      return then(plan(f.input()), FilterOperator.factory(predicate, f.condition(), f.input().output()));
    }
    if (node instanceof Project) {
      Project p = (Project) node;
      List<Evaluator> exprs = new ExprCompiler(p.input().output()).compileAll(p.exprs());
      return then(plan(p.input()), ProjectOperator.factory(exprs, p.exprs(), p.input().output(), p.output().toString()));
    }
    if (node instanceof Join) {
      return join((Join) node);
    }
    if (node instanceof Aggregate) {
      return List.of(new Pipeline(aggregate((Aggregate) node)));
    }
    if (node instanceof Sort) {
      return List.of(new Pipeline(sort((Sort) node, -1, 0)));
    }
    if (node instanceof Limit) {
      return List.of(new Pipeline(limit((Limit) node)));
    }
    if (node instanceof Union) {
      List<Pipeline> all = new ArrayList<>();
      for (LogicalPlan in : node.inputs()) {
        all.addAll(plan(in));
      }
      return all;
    }
    if (node instanceof Values) {
      return List.of(new Pipeline(values((Values) node)));
    }
    throw KilnException.unsupported("no physical operator for " + node.describe());
  }

  private static List<Pipeline> then(List<Pipeline> pipelines, OperatorFactory op) {
    List<Pipeline> out = new ArrayList<>();
    for (Pipeline p : pipelines) {
      out.add(p.then(op));
    }
    return out;
  }

  // ---------------------------------------------------------------- scan

  private Pipeline scan(Scan s) {
    int[] idx = s.columnIndexes();
    List<ColumnPredicate> pruning = new ArrayList<>();
    for (Expr f : s.filters()) {
      ColumnPredicate p = toColumnPredicate(f, s.output(), idx);
      if (p != null) {
        pruning.add(p);
      }
    }
    OptionalLong limit = s.filters().isEmpty() ? s.limit() : OptionalLong.empty();
    boolean[] grouped = new boolean[idx.length];
    for (int i = 0; i < grouped.length; i++) {
      grouped[i] = groupedColumns.contains(s.output().get(i));
    }
    ScanRequest request = new ScanRequest(idx, pruning, limit).withDictionaryIds(grouped);
    Pipeline p = new Pipeline(new ScanSource(s.provider(), request, s.tableName() + " " + s.output()));
    if (!s.filters().isEmpty()) {
      Expr all = Exprs.and(s.filters());
      p = p.then(FilterOperator.factory(new ExprCompiler(s.output()).compile(all), all, s.output()));
    }
    return p;
  }

  private static ColumnPredicate toColumnPredicate(Expr e, List<ColumnRef> cols, int[] idx) {
    if (!(e instanceof Call)) {
      return null;
    }
    Call c = (Call) e;
    if (c.function() == Function.IS_NULL || c.function() == Function.IS_NOT_NULL) {
      int pos = cols.indexOf(c.arg(0));
      return pos < 0 ? null : new ColumnPredicate(idx[pos], c.function() == Function.IS_NULL
          ? ColumnPredicate.Op.IS_NULL : ColumnPredicate.Op.IS_NOT_NULL, List.of());
    }
    if (c.function() == Function.LIKE || (c.function() == Function.NOT && c.arg(0) instanceof Call
        && ((Call) c.arg(0)).function() == Function.LIKE)) {
      boolean negated = c.function() == Function.NOT;
      Call like = negated ? (Call) c.arg(0) : c;
      int pos = cols.indexOf(like.arg(0));
      if (pos < 0 || !(like.arg(1) instanceof Literal) || ((Literal) like.arg(1)).isNull()) {
        return null;
      }
      return new ColumnPredicate(idx[pos], negated ? ColumnPredicate.Op.NOT_LIKE : ColumnPredicate.Op.LIKE,
          List.of(((Literal) like.arg(1)).javaValue()));
    }
    if (c.function() == Function.IN_LIST && c.arg(0) instanceof ColumnRef) {
      int pos = cols.indexOf(c.arg(0));
      List<Object> values = new ArrayList<>();
      for (Expr a : c.args().subList(1, c.args().size())) {
        if (!(a instanceof Literal) || ((Literal) a).isNull()) {
          return null;
        }
        values.add(((Literal) a).javaValue());
      }
      return pos < 0 ? null : new ColumnPredicate(idx[pos], ColumnPredicate.Op.IN, values);
    }
    if (!c.function().isComparison()) {
      return null;
    }
    Expr a = c.arg(0);
    Expr b = c.arg(1);
    Function f = c.function();
    if (a instanceof Literal && b instanceof ColumnRef) {
      Expr t = a;
      a = b;
      b = t;
      f = f.flip();
    }
    if (!(a instanceof ColumnRef) || !(b instanceof Literal) || ((Literal) b).isNull()) {
      return null;
    }
    int pos = cols.indexOf(a);
    if (pos < 0) {
      return null;
    }
    ColumnPredicate.Op op = ColumnPredicate.Op.valueOf(f.name());
    return new ColumnPredicate(idx[pos], op, List.of(((Literal) b).javaValue()));
  }

  // ---------------------------------------------------------------- joins

  private List<Pipeline> join(Join j) {
    JoinType type = j.type();
    LogicalPlan probe = j.left();
    LogicalPlan build = j.right();
    boolean swapped = false;
    boolean emitBuildSide = false;
    if ((type == JoinType.SEMI || type == JoinType.ANTI) && !j.nullAware()
        && Cardinality.rows(j.left()) < Cardinality.rows(j.right())) {
      probe = j.right();
      build = j.left();
      emitBuildSide = true;
    } else if (type == JoinType.RIGHT
        || (type == JoinType.INNER && Cardinality.rows(j.left()) < Cardinality.rows(j.right()))) {
      probe = j.right();
      build = j.left();
      swapped = true;
      type = type == JoinType.RIGHT ? JoinType.LEFT : type;
    }
    Set<ColumnRef> probeCols = new HashSet<>(probe.output());
    Set<ColumnRef> buildCols = new HashSet<>(build.output());
    List<Expr> probeKeys = new ArrayList<>();
    List<Expr> buildKeys = new ArrayList<>();
    List<Boolean> nullSafe = new ArrayList<>();
    List<Expr> residual = new ArrayList<>();
    List<Expr> conjuncts = j.condition() == null ? List.of() : Exprs.conjuncts(j.condition());
    int nullAwareKey = -1;
    for (int i = 0; i < conjuncts.size(); i++) {
      Expr c = conjuncts.get(i);
      boolean key = false;
      if (c instanceof Call && (((Call) c).function() == Function.EQ
          || ((Call) c).function() == Function.IS_NOT_DISTINCT_FROM)) {
        Call call = (Call) c;
        Set<ColumnRef> l = Exprs.columns(call.arg(0));
        Set<ColumnRef> r = Exprs.columns(call.arg(1));
        if (!l.isEmpty() && !r.isEmpty()) {
          if (probeCols.containsAll(l) && buildCols.containsAll(r)) {
            probeKeys.add(call.arg(0));
            buildKeys.add(call.arg(1));
            key = true;
          } else if (probeCols.containsAll(r) && buildCols.containsAll(l)) {
            probeKeys.add(call.arg(1));
            buildKeys.add(call.arg(0));
            key = true;
          }
        }
        if (key) {
          nullSafe.add(call.function() == Function.IS_NOT_DISTINCT_FROM);
          if (j.nullAware() && i == conjuncts.size() - 1) {
            nullAwareKey = probeKeys.size() - 1;
          }
        }
      }
      if (!key) {
        if (j.nullAware() && i == conjuncts.size() - 1) {
          throw KilnException.unsupported("IN subquery whose value mixes both sides: " + c);
        }
        residual.add(c);
      }
    }
    List<ColumnRef> joinedLayout = new ArrayList<>(probe.output());
    joinedLayout.addAll(build.output());
    Expr residualExpr = Exprs.and(residual);
    boolean[] safe = new boolean[nullSafe.size()];
    for (int i = 0; i < safe.length; i++) {
      safe[i] = nullSafe.get(i);
    }
    HashJoinFactory factory = new HashJoinFactory(type, probeKeys, buildKeys, safe, residualExpr, probe.output(),
        build.output(), nullAwareKey, plan(build),
        "keys=" + probeKeys + "=" + buildKeys + (residualExpr == null ? "" : " residual=" + residualExpr),
        emitBuildSide);
    List<Pipeline> out = then(plan(probe), factory);
    if (swapped && !type.keepsOnlyLeft()) {
      // Restore the logical column order: left columns first.
      List<Evaluator> reorder = new ExprCompiler(joinedLayout).compileAll(j.output());
      out = then(out, ProjectOperator.factory(reorder, j.output(), joinedLayout, "(restore join column order)"));
    }
    return out;
  }

  private static List<DataType> types(List<ColumnRef> cols) {
    List<DataType> out = new ArrayList<>();
    for (ColumnRef c : cols) {
      out.add(c.type());
    }
    return out;
  }

  // ---------------------------------------------------------------- breakers

  private Source aggregate(Aggregate a) {
    ExprCompiler compiler = new ExprCompiler(a.input().output());
    List<Evaluator> keys = compiler.compileAll(a.groupKeys());
    List<Evaluator> args = new ArrayList<>();
    List<Evaluator> filters = new ArrayList<>();
    for (AggregateCall c : a.aggregates()) {
      args.add(c.arg() == null ? null : compiler.compile(c.arg()));
      filters.add(c.filter() == null ? null : compiler.compile(c.filter()));
    }
    FusionSpec.Aggregate fused = new FusionSpec.Aggregate(a.groupKeys(), a.aggregates(), a.input().output());
    if (keysOfOneScan(a.groupKeys(), a.input())) {
      for (Expr k : a.groupKeys()) {
        groupedColumns.add((ColumnRef) k);
      }
    }
    List<Pipeline> input = new ArrayList<>();
    for (Pipeline p : plan(a.input())) {
      input.add(p.into(fused));
    }
    String shown = "keys=" + a.groupKeys() + " aggs=" + a.aggregates();
    // EXPLAIN ANALYZE shows the rows grouped by dictionary ids beside the rows of the source made
    // here, when every key is a column (else there are none).
    boolean columnKeys = !a.groupKeys().isEmpty() && a.groupKeys().stream().allMatch(k -> k instanceof ColumnRef);
    Source[] result = new Source[1];
    result[0] = new BatchListSource(shared.share(a, ctx -> {
      HashAggregateSink sink = new HashAggregateSink(keys, a.aggregates(), args, filters, shown,
          columnKeys ? ctx.rowCounts().counter(result[0], "rows grouped by dictionary id")
              : new java.util.concurrent.atomic.LongAdder());
      try (sink) {
        Executor.run(input, sink, ctx);
        return List.of(sink.take(ctx));
      }
    }), input, "HashAggregate " + shown);
    return result[0];
  }

  /**
   * Whether every key is a column of one scan under {@code input}: only then can all keys carry
   * dictionary ids, which grouping by ids needs (see {@link io.kiln.physical.agg.DictionaryGroups}).
   * Reading a key column as ids that go unused costs more than decoding it (Q3 groups by columns of
   * lineitem and of orders).
   */
  private static boolean keysOfOneScan(List<Expr> keys, LogicalPlan input) {
    if (keys.isEmpty() || !keys.stream().allMatch(k -> k instanceof ColumnRef)) {
      return false;
    }
    Scan owner = scanOf((ColumnRef) keys.get(0), input);
    return owner != null && owner.output().containsAll(keys);
  }

  /** The scan under {@code p} that produces {@code column}, or null. */
  private static Scan scanOf(ColumnRef column, LogicalPlan p) {
    if (p instanceof Scan) {
      return p.output().contains(column) ? (Scan) p : null;
    }
    for (LogicalPlan in : p.inputs()) {
      Scan s = scanOf(column, in);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  private Source sort(Sort s, long limit, long offset) {
    List<ColumnRef> layout = s.input().output();
    int n = s.keys().size();
    int[] keys = new int[n];
    boolean[] asc = new boolean[n];
    boolean[] nullsFirst = new boolean[n];
    for (int i = 0; i < n; i++) {
      SortKey k = s.keys().get(i);
      keys[i] = layout.indexOf(k.expr());
      if (keys[i] < 0) {
        throw KilnException.unsupported("sorting by a computed expression; project it first: " + k.expr());
      }
      asc[i] = k.ascending();
      nullsFirst[i] = k.nullsFirst();
    }
    String shown = s.keys().toString();
    // Only a top-N has a per-batch step to fuse (its cut-off); a full sort just keeps the batches.
    List<Pipeline> input = limit < 0 ? plan(s.input())
        : feedingTopN(plan(s.input()), keys, asc, nullsFirst, layout, "TopN " + limit + " " + shown);
    return new BatchListSource(ctx -> {
      try (SortSink sink = new SortSink(types(layout), keys, asc, nullsFirst, limit, offset, shown)) {
        Executor.run(input, sink, ctx);
        return List.of(sink.take(ctx));
      }
    }, input, (limit >= 0 ? "TopN " + limit + " " : "Sort ") + shown);
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

  private Source limit(Limit l) {
    if (l.input() instanceof Sort) {
      return sort((Sort) l.input(), l.limit(), l.offset());
    }
    List<Pipeline> input = plan(l.input());
    return new BatchListSource(ctx -> {
      try (LimitSink sink = new LimitSink(l.limit(), l.offset())) {
        Executor.run(input, sink, ctx);
        return sink.take(ctx);
      }
    }, input, "Limit " + l.limit() + " offset " + l.offset());
  }

  private Source values(Values v) {
    List<ColumnRef> out = v.output();
    return new BatchListSource(ctx -> {
      int rows = v.rows().size();
      ValueVector[] cols = new ValueVector[out.size()];
      try (Batch empty = new Batch(new ValueVector[0], 1)) {
        for (int c = 0; c < cols.length; c++) {
          cols[c] = Vectors.allocate(out.get(c).type(), out.get(c).name(), ctx.allocator(), rows);
          for (int r = 0; r < rows; r++) {
            try (ValueVector value = new ExprCompiler(List.of()).compile(v.rows().get(r).get(c))
                .evaluate(empty, ctx.allocator())) {
              io.kiln.physical.expr.VectorOps.write(cols[c], r, io.kiln.physical.expr.VectorOps.read(value, 0));
            }
          }
        }
      } catch (RuntimeException e) {
        Batches.closeAll(cols);
        throw e;
      }
      return List.of(new Batch(cols, rows));
    }, List.of(), "Values " + v.rows().size() + " rows");
  }

  /** Runs a plan to completion and returns its batches (owned by the caller). */
  public static List<Batch> execute(List<Pipeline> pipelines, ExecContext ctx) {
    try (CollectSink sink = new CollectSink()) {
      Executor.run(pipelines, sink, ctx);
      return sink.take();
    }
  }
}
