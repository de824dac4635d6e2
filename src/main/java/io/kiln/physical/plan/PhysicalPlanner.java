package io.kiln.physical.plan;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.TableProvider;
import io.kiln.error.KilnException;
import io.kiln.logical.Aggregate;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an optimized logical plan into a physical plan: chooses each join's build side, splits
 * scan filters into what the scan can skip data with and a filter above, and marks the columns
 * whose dictionary ids an aggregation can group by. Nothing is compiled or run here.
 */
public final class PhysicalPlanner {
  /**
   * Aggregations expected to make at least this many groups run in two phases when several
   * threads run them: each thread's PARTIAL table, then a hash exchange, then a FINAL per
   * partition, instead of merging the threads' tables one at a time on one thread. With fewer
   * groups that merge is cheap and the exchange is not worth its copy.
   */
  static final double PARTITIONED_MIN_GROUPS = 50_000;
  /** Partitions per thread for a partitioned aggregation: more than one, so a skewed partition is not the whole wait. */
  static final int PARTITIONS_PER_THREAD = 4;

  private final int threads;
  private int nextId;
  /** The tables the plan reads, by the name its scans carry. */
  private final Map<String, TableProvider> tables = new LinkedHashMap<>();
  /**
   * Columns some aggregation groups by as they are: a scan producing one is asked for its
   * dictionary ids, which the aggregation uses when the column reaches it unchanged (see
   * {@link io.kiln.physical.agg.DictionaryGroups}). Column ids are unique, so a scan's column in
   * this set is the very column grouped on.
   */
  private final Set<ColumnRef> groupedColumns = new HashSet<>();

  /** The optimizer's row estimate of each node planned from a logical node, by node id. */
  private final Map<Integer, Double> estimatedRows = new HashMap<>();

  /**
   * A planned query: the plan, the tables its scans name, and the rows the optimizer expects
   * from the nodes it planned from logical ones (a cluster plan chooses broadcast joins by them).
   */
  public record Planned(PhysicalNode root, Map<String, TableProvider> tables, Map<Integer, Double> estimatedRows) {
    public Planned {
      tables = Map.copyOf(tables);
      estimatedRows = Map.copyOf(estimatedRows);
    }

    /** The expected rows of node {@code id}, or infinity when unknown (so nothing unknown counts as small). */
    public double estimatedRows(int id) {
      return estimatedRows.getOrDefault(id, Double.POSITIVE_INFINITY);
    }

    /** Resolves the plan's table names to these providers. */
    public TableResolver resolver() {
      return name -> {
        TableProvider t = tables.get(name);
        if (t == null) {
          throw KilnException.binding("the plan reads table '" + name + "', which it was not planned with");
        }
        return t;
      };
    }
  }

  private PhysicalPlanner(int threads) {
    this.threads = threads;
  }

  /** Plans a whole query for {@code threads} threads, with runtime filters; the root is a {@link PhysicalNode.Result}. */
  public static Planned planQuery(LogicalPlan plan, int threads) {
    return planQuery(plan, threads, true);
  }

  /**
   * Plans a whole query for {@code threads} threads; the root is a {@link PhysicalNode.Result}. With
   * {@code runtimeFilters}, scans skip rows by the key sets of joins above them ({@link RuntimeFilters}).
   */
  public static Planned planQuery(LogicalPlan plan, int threads, boolean runtimeFilters) {
    if (threads < 1) {
      throw new IllegalArgumentException("a plan needs at least one thread, not " + threads);
    }
    PhysicalPlanner p = new PhysicalPlanner(threads);
    PhysicalNode input = p.plan(plan);
    PhysicalNode root = new PhysicalNode.Result(p.nextId++, input);
    if (runtimeFilters) {
      root = RuntimeFilters.add(root, p.estimatedRows, p.tables);
    }
    return new Planned(root, p.tables, p.estimatedRows);
  }

  private PhysicalNode plan(LogicalPlan node) {
    PhysicalNode planned = planNode(node);
    estimatedRows.put(planned.id(), Cardinality.rows(node));
    return planned;
  }

  private PhysicalNode planNode(LogicalPlan node) {
    if (node instanceof Scan) {
      return scan((Scan) node);
    }
    if (node instanceof Filter) {
      Filter f = (Filter) node;
      PhysicalNode input = plan(f.input());
      return new PhysicalNode.Filter(nextId++, input, f.condition());
    }
    if (node instanceof Project) {
      Project p = (Project) node;
      PhysicalNode input = plan(p.input());
      return new PhysicalNode.Project(nextId++, input, p.exprs(), p.output());
    }
    if (node instanceof Join) {
      return join((Join) node);
    }
    if (node instanceof Aggregate) {
      Aggregate a = (Aggregate) node;
      if (keysOfOneScan(a.groupKeys(), a.input())) {
        for (Expr k : a.groupKeys()) {
          groupedColumns.add((ColumnRef) k);
        }
      }
      PhysicalNode input = plan(a.input());
      if (threads > 1 && !a.groupKeys().isEmpty() && Cardinality.groups(a) >= PARTITIONED_MIN_GROUPS) {
        return partitioned(a, input);
      }
      return new PhysicalNode.HashAggregate(nextId++, input, AggregateMode.SINGLE, a.groupKeys(), a.aggregates(),
          a.output());
    }
    if (node instanceof Sort) {
      Sort s = (Sort) node;
      checkSortKeys(s);
      PhysicalNode input = plan(s.input());
      return new PhysicalNode.Sort(nextId++, input, s.keys());
    }
    if (node instanceof io.kiln.logical.Window) {
      io.kiln.logical.Window w = (io.kiln.logical.Window) node;
      PhysicalNode input = plan(w.input());
      if (threads > 1 && !w.spec().partitionBy().isEmpty()) {
        // Whole partitions per exchange partition: each thread sorts and computes some of them.
        input = new PhysicalNode.Exchange(nextId++, input, PhysicalNode.ExchangeKind.HASH, w.spec().partitionBy(),
            threads * PARTITIONS_PER_THREAD);
      }
      return new PhysicalNode.Window(nextId++, input, w.spec().partitionBy(), w.spec().orderBy(), w.calls(),
          w.output());
    }
    if (node instanceof Limit) {
      Limit l = (Limit) node;
      if (l.input() instanceof Sort) {
        Sort s = (Sort) l.input();
        checkSortKeys(s);
        PhysicalNode input = plan(s.input());
        return new PhysicalNode.TopN(nextId++, input, s.keys(), l.limit(), l.offset());
      }
      PhysicalNode input = plan(l.input());
      return new PhysicalNode.Limit(nextId++, input, l.limit(), l.offset());
    }
    if (node instanceof Union) {
      List<PhysicalNode> inputs = new ArrayList<>();
      for (LogicalPlan in : node.inputs()) {
        inputs.add(plan(in));
      }
      return new PhysicalNode.Union(nextId++, inputs, node.output());
    }
    if (node instanceof Values) {
      Values v = (Values) node;
      return new PhysicalNode.Values(nextId++, v.rows(), v.output());
    }
    throw KilnException.unsupported("no physical operator for " + node.describe());
  }

  private static void checkSortKeys(Sort s) {
    for (SortKey k : s.keys()) {
      if (!s.input().output().contains(k.expr())) {
        throw KilnException.unsupported("sorting by a computed expression; project it first: " + k.expr());
      }
    }
  }

  // ---------------------------------------------------------------- scan

  private PhysicalNode scan(Scan s) {
    TableProvider known = tables.putIfAbsent(s.tableName(), s.provider());
    if (known != null && known != s.provider()) {
      throw new IllegalStateException("two tables named '" + s.tableName() + "' in one plan");
    }
    int[] idx = s.columnIndexes();
    List<Integer> indexes = new ArrayList<>();
    for (int i : idx) {
      indexes.add(i);
    }
    List<ColumnPredicate> pruning = new ArrayList<>();
    for (Expr f : s.filters()) {
      ColumnPredicate p = ScanPredicates.toColumnPredicate(f, s.output(), idx);
      if (p != null) {
        pruning.add(p);
      }
    }
    OptionalLong limit = s.filters().isEmpty() ? s.limit() : OptionalLong.empty();
    List<Boolean> grouped = new ArrayList<>();
    for (ColumnRef c : s.output()) {
      grouped.add(groupedColumns.contains(c));
    }
    PhysicalNode scan = new PhysicalNode.Scan(nextId++, s.tableName(), s.output(), indexes, pruning, limit, grouped,
        List.of()); // split where it runs
    if (s.filters().isEmpty()) {
      return scan;
    }
    // The scan skips what it can; the filter decides every row.
    return new PhysicalNode.Filter(nextId++, scan, Exprs.and(s.filters()));
  }

  // ---------------------------------------------------------------- joins

  private PhysicalNode join(Join j) {
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
    } else if (type == JoinType.INNER || type == JoinType.LEFT || type == JoinType.RIGHT) {
      // The smaller side builds. An outer join's preserved side may be either: probed, it is a LEFT
      // join; built, a RIGHT join, whose operator emits the build rows no probe row matched at the
      // end (a small preserved side, such as Q13's customers or a ROLLUP's set numbers, then no
      // longer makes the large side into a hash table, nor one thread probe it all).
      if (Cardinality.rows(j.left()) < Cardinality.rows(j.right())) {
        probe = j.right();
        build = j.left();
        swapped = true;
        type = type == JoinType.LEFT ? JoinType.RIGHT : type == JoinType.RIGHT ? JoinType.LEFT : type;
      }
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
    boolean restoreOrder = swapped && !type.keepsOnlyLeft();
    List<ColumnRef> output = restoreOrder ? joinedLayout : j.output();
    PhysicalNode probeNode = plan(probe);
    PhysicalNode buildNode = plan(build);
    PhysicalNode joined = new PhysicalNode.HashJoin(nextId++, probeNode, buildNode, type, probeKeys, buildKeys,
        nullSafe, Exprs.and(residual), nullAwareKey, emitBuildSide, output);
    if (!restoreOrder) {
      return joined;
    }
    // The logical column order: left columns first.
    return new PhysicalNode.Project(nextId++, joined, new ArrayList<Expr>(j.output()), j.output());
  }

  // ---------------------------------------------------------------- aggregation

  /**
   * PARTIAL per thread, a hash exchange on the keys, FINAL per partition. PARTIAL's output is the
   * keys, then each aggregate's state (columns named by {@code physical.agg.AggregateLayout}),
   * which the plan shows as one column per aggregate.
   */
  private PhysicalNode partitioned(Aggregate a, PhysicalNode input) {
    List<ColumnRef> partialOutput = new ArrayList<>(a.groupOutputs());
    for (ColumnRef c : a.aggregateOutputs()) {
      partialOutput.add(ColumnRef.fresh(c.name() + "_state", c.type()));
    }
    PhysicalNode partial = new PhysicalNode.HashAggregate(nextId++, input, AggregateMode.PARTIAL, a.groupKeys(),
        a.aggregates(), partialOutput);
    PhysicalNode exchange = new PhysicalNode.Exchange(nextId++, partial, PhysicalNode.ExchangeKind.HASH,
        new ArrayList<Expr>(a.groupOutputs()), threads * PARTITIONS_PER_THREAD);
    return new PhysicalNode.HashAggregate(nextId++, exchange, AggregateMode.FINAL, new ArrayList<Expr>(a.groupOutputs()),
        a.aggregates(), a.output());
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
}
