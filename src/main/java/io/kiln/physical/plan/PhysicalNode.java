package io.kiln.physical.plan;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.JoinType;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A node of a physical plan: an immutable value holding types and expressions only (no
 * allocators, evaluators, closures or hash tables), so a plan can be printed, compared, serialized
 * and turned into running pipelines anywhere. Each node has an id unique within its plan, by
 * which EXPLAIN ANALYZE attributes what ran to the node. Columns travel by position: a node's
 * batches hold its {@link #output()} columns in that order.
 */
public sealed interface PhysicalNode {
  int id();

  List<ColumnRef> output();

  List<PhysicalNode> inputs();

  /** One line for EXPLAIN, without the id. */
  String describe();

  /** A node over one input. */
  sealed interface OneInput extends PhysicalNode {
    PhysicalNode input();

    @Override
    default List<PhysicalNode> inputs() {
      return List.of(input());
    }
  }

  /** A node whose rows have its input's columns (it keeps, orders, moves or counts rows). */
  sealed interface SameColumns extends OneInput {
    @Override
    default List<ColumnRef> output() {
      return input().output();
    }
  }

  /**
   * Reads a table: the columns {@code columnIndexes} of its schema (as {@code output}), skipping
   * data with {@code predicates} where it can (the rows still pass a filter above), stopping after
   * {@code limit} rows when given, and handing on the dictionary ids of the output columns
   * {@code dictionaryIds} marks (an aggregation above groups by them). {@code tasks} empty: the
   * process running the plan splits the scan itself; otherwise it runs exactly those morsels of
   * it (a scheduler's share for one worker, from {@link io.kiln.catalog.TableProvider#splitScan}).
   * A share is never empty: a worker with nothing of a scan to read gets no task for it.
   */
  record Scan(int id, String table, List<ColumnRef> output, List<Integer> columnIndexes,
      List<ColumnPredicate> predicates, OptionalLong limit, List<Boolean> dictionaryIds,
      List<ScanTaskDescriptor> tasks, List<RuntimeFilter> runtimeFilters) implements PhysicalNode {
    public Scan {
      output = List.copyOf(output);
      columnIndexes = List.copyOf(columnIndexes);
      predicates = List.copyOf(predicates);
      dictionaryIds = List.copyOf(dictionaryIds);
      tasks = List.copyOf(tasks);
      runtimeFilters = List.copyOf(runtimeFilters);
    }

    /** A scan with no runtime filters. */
    public Scan(int id, String table, List<ColumnRef> output, List<Integer> columnIndexes,
        List<ColumnPredicate> predicates, OptionalLong limit, List<Boolean> dictionaryIds,
        List<ScanTaskDescriptor> tasks) {
      this(id, table, output, columnIndexes, predicates, limit, dictionaryIds, tasks, List.of());
    }

    /** The same scan, running exactly {@code share} of its tasks (empty: all, split where it runs). */
    public Scan withTasks(List<ScanTaskDescriptor> share) {
      return new Scan(id, table, output, columnIndexes, predicates, limit, dictionaryIds, share, runtimeFilters);
    }

    /** The same scan, narrowed by {@code filters} as well once their joins' build sides are done. */
    public Scan withRuntimeFilters(List<RuntimeFilter> filters) {
      return new Scan(id, table, output, columnIndexes, predicates, limit, dictionaryIds, tasks, filters);
    }

    @Override
    public List<PhysicalNode> inputs() {
      return List.of();
    }

    @Override
    public String describe() {
      return "Scan " + table + " " + output + (predicates.isEmpty() ? "" : " pruning=" + predicates)
          + (runtimeFilters.isEmpty() ? "" : " runtime filters=" + runtimeFilters)
          + (limit.isPresent() ? " limit=" + limit.getAsLong() : "")
          + (tasks.isEmpty() ? "" : " tasks=" + tasks.size());
    }
  }

  /** Keeps the rows whose condition is TRUE. */
  record Filter(int id, PhysicalNode input, Expr condition) implements SameColumns {
    @Override
    public String describe() {
      return "Filter " + condition;
    }
  }

  /** Computes {@code exprs} over the input's columns; their values are the {@code output} columns. */
  record Project(int id, PhysicalNode input, List<Expr> exprs, List<ColumnRef> output) implements OneInput {
    public Project {
      exprs = List.copyOf(exprs);
      output = List.copyOf(output);
      if (exprs.size() != output.size()) {
        throw new IllegalArgumentException(exprs.size() + " expressions for " + output.size() + " columns");
      }
    }

    @Override
    public String describe() {
      return "Project " + output;
    }
  }

  /**
   * A hash join: the {@code build} side's rows go into a hash table on {@code buildKeys}, the
   * {@code probe} side's rows look their {@code probeKeys} up in it ({@code probeKeys[k] =
   * buildKeys[k]}, null-safe where {@code nullSafe[k]}) and then pass the {@code residual}
   * condition (or null) over the probe columns followed by the build columns. Without keys it is a
   * nested loop. {@code nullAwareKey} is the key of a NOT IN (-1 if none), whose NULLs follow SQL's
   * three-valued rules. With {@code emitBuildSide}, a SEMI or ANTI join keeps build rows (the
   * probe side is the logically preserved one's partner). The output is the probe columns then the
   * build columns, only the probe columns (SEMI, ANTI), only the build columns (SEMI, ANTI with
   * {@code emitBuildSide}), or the probe columns and a mark (MARK): {@code output} says which.
   */
  record HashJoin(int id, PhysicalNode probe, PhysicalNode build, JoinType type, List<Expr> probeKeys,
      List<Expr> buildKeys, List<Boolean> nullSafe, Expr residual, int nullAwareKey, boolean emitBuildSide,
      List<ColumnRef> output) implements PhysicalNode {
    public HashJoin {
      probeKeys = List.copyOf(probeKeys);
      buildKeys = List.copyOf(buildKeys);
      nullSafe = List.copyOf(nullSafe);
      output = List.copyOf(output);
      if (probeKeys.size() != buildKeys.size() || probeKeys.size() != nullSafe.size()) {
        throw new IllegalArgumentException("join keys do not pair up: " + probeKeys + " / " + buildKeys);
      }
    }

    @Override
    public List<PhysicalNode> inputs() {
      return List.of(probe, build);
    }

    @Override
    public String describe() {
      return (buildKeys.isEmpty() ? "NestedLoopJoin " : "HashJoin ") + type
          + (emitBuildSide ? " (build side preserved)" : "") + " keys=" + probeKeys + "=" + buildKeys
          + (residual == null ? "" : " residual=" + residual);
    }
  }

  /** Groups the input by {@code keys} and computes {@code calls}; output: the keys, then one column per call. */
  record HashAggregate(int id, PhysicalNode input, AggregateMode mode, List<Expr> keys, List<AggregateCall> calls,
      List<ColumnRef> output) implements OneInput {
    public HashAggregate {
      keys = List.copyOf(keys);
      calls = List.copyOf(calls);
      output = List.copyOf(output);
    }

    @Override
    public String describe() {
      return "HashAggregate " + (mode == AggregateMode.SINGLE ? "" : mode + " ") + "keys=" + keys + " aggs=" + calls;
    }
  }

  /** Sorts every row by {@code keys}, which are input columns. */
  record Sort(int id, PhysicalNode input, List<SortKey> keys) implements SameColumns {
    public Sort {
      keys = List.copyOf(keys);
    }

    @Override
    public String describe() {
      return "Sort " + keys;
    }
  }

  /**
   * Window functions over one window spec: every input row, ordered by {@code partitionKeys} then
   * {@code orderKeys} (expressions over the input), with one more column per call. Rows of equal
   * partition keys must all reach the same node (a cluster hashes them to one task); calls that
   * share the spec share this node's one sort. Output: the input's columns, then one per call.
   */
  record Window(int id, PhysicalNode input, List<Expr> partitionKeys, List<SortKey> orderKeys, List<WindowCall> calls,
      List<ColumnRef> output) implements OneInput {
    public Window {
      partitionKeys = List.copyOf(partitionKeys);
      orderKeys = List.copyOf(orderKeys);
      calls = List.copyOf(calls);
      output = List.copyOf(output);
      if (output.size() != input.output().size() + calls.size()) {
        throw new IllegalArgumentException(output.size() + " output columns for " + input.output().size()
            + " input columns and " + calls.size() + " window calls");
      }
    }

    /** The same windows over another input (with the same columns). */
    public Window withInput(PhysicalNode newInput) {
      return new Window(id, newInput, partitionKeys, orderKeys, calls, output);
    }

    @Override
    public String describe() {
      return "Window partition=" + partitionKeys + " order=" + orderKeys + " calls="
          + calls + " -> " + output.subList(input.output().size(), output.size());
    }
  }

  /** The first {@code limit} rows after {@code offset} in the order of {@code keys} (input columns). */
  record TopN(int id, PhysicalNode input, List<SortKey> keys, long limit, long offset) implements SameColumns {
    public TopN {
      keys = List.copyOf(keys);
    }

    @Override
    public String describe() {
      return "TopN " + limit + (offset == 0 ? "" : " offset " + offset) + " " + keys;
    }
  }

  /** Any {@code limit} rows after skipping {@code offset}. */
  record Limit(int id, PhysicalNode input, long limit, long offset) implements SameColumns {
    @Override
    public String describe() {
      return "Limit " + limit + " offset " + offset;
    }
  }

  /** The rows of every input (UNION ALL); inputs' columns line up by position with {@code output}. */
  record Union(int id, List<PhysicalNode> inputs, List<ColumnRef> output) implements PhysicalNode {
    public Union {
      inputs = List.copyOf(inputs);
      output = List.copyOf(output);
    }

    @Override
    public String describe() {
      return "Union " + output;
    }
  }

  /** Literal rows; each row's expressions take no input columns. */
  record Values(int id, List<List<Expr>> rows, List<ColumnRef> output) implements PhysicalNode {
    public Values {
      List<List<Expr>> copy = new ArrayList<>();
      for (List<Expr> r : rows) {
        copy.add(List.copyOf(r));
      }
      rows = List.copyOf(copy);
      output = List.copyOf(output);
    }

    @Override
    public List<PhysicalNode> inputs() {
      return List.of();
    }

    @Override
    public String describe() {
      return "Values " + rows.size() + " rows " + output;
    }
  }

  /** How an exchange distributes its input's rows among its output partitions. */
  enum ExchangeKind {
    /** By a hash of the key values, the same function in every process: equal keys meet in one partition. */
    HASH,
    /** Every row to every partition (the small side of a join). */
    BROADCAST,
    /** Every row to one partition. */
    GATHER,
    /** Batches dealt out in turn; never across a boundary that may be re-run, as the deal is not reproducible. */
    ROUND_ROBIN
  }

  /**
   * Moves rows between partitions: threads in one process, tasks on a cluster. The input's rows
   * reach {@code partitions} partitions (1 for GATHER) as {@code kind} says; HASH uses {@code keys}.
   */
  record Exchange(int id, PhysicalNode input, ExchangeKind kind, List<Expr> keys, int partitions)
      implements SameColumns {
    public Exchange {
      keys = List.copyOf(keys);
      if (partitions < 1) {
        throw new IllegalArgumentException("an exchange needs at least one partition, not " + partitions);
      }
      if ((kind == ExchangeKind.HASH) == keys.isEmpty()) {
        throw new IllegalArgumentException("a " + kind + " exchange " + (keys.isEmpty() ? "needs" : "takes no") + " keys");
      }
      if (kind == ExchangeKind.GATHER && partitions != 1) {
        throw new IllegalArgumentException("a GATHER exchange has one partition, not " + partitions);
      }
    }

    @Override
    public String describe() {
      return "Exchange " + kind + (keys.isEmpty() ? "" : " keys=" + keys) + " partitions=" + partitions;
    }
  }

  /**
   * The rows another stage's {@code kind} exchange sent to this task (a cluster cuts a plan at its
   * exchanges into stages): the partition the task runs, or all of a BROADCAST or GATHER. The
   * process running the fragment knows where those rows are; the plan only names the stage.
   */
  record StageInput(int id, int stage, ExchangeKind kind, List<ColumnRef> output) implements PhysicalNode {
    public StageInput {
      output = List.copyOf(output);
      if (stage < 0) {
        throw new IllegalArgumentException("stage " + stage);
      }
    }

    @Override
    public List<PhysicalNode> inputs() {
      return List.of();
    }

    @Override
    public String describe() {
      return "StageInput stage=" + stage + " " + kind + " " + output;
    }
  }

  /** The query's answer: the root of every plan. */
  record Result(int id, PhysicalNode input) implements SameColumns {
    @Override
    public String describe() {
      return "Result " + output();
    }
  }
}
