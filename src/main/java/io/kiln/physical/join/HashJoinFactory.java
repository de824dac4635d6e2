package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.JoinType;
import io.kiln.physical.Batches;
import io.kiln.physical.FusionSpec;
import io.kiln.physical.Operator;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.expr.VectorOps;
import io.kiln.physical.spill.PartitionedSpill;
import io.kiln.exec.HeapReservation;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ValueVector;

/**
 * A hash join's probe step. The build side's pipelines feed a {@link JoinBuildSink}; once they have
 * finished, {@link #build} makes the table that every worker's probe operator then reads.
 */
public final class HashJoinFactory implements OperatorFactory {
  /** Heap bytes a build row's chain link, hash and head slot take, counted against the memory limit. */
  static final long CHAIN_BYTES_PER_ROW = 32;
  private final int nodeId;
  private final JoinSpec spec;
  private final FusionSpec.Probe fusion;
  private final FusionSpec.JoinBuild buildFusion;
  private final String shown;
  private final List<io.kiln.types.DataType> buildKeyTypes;
  private JoinTable table;
  private JoinTable groups;
  private ProbeTable probeTable;
  /** Set instead of {@link #table} when the build side spilled: the join then runs a partition at a time. */
  private volatile GraceJoin grace;
  /** Probe pipelines (several under a UNION ALL) still to finish: the last runs a spilled join's partitions. */
  private final java.util.concurrent.atomic.AtomicInteger probesRunning = new java.util.concurrent.atomic.AtomicInteger(1);

  /**
   * A join of the probe side's rows (columns {@code probeColumns}) with the build side's, on
   * {@code probeKeys[k] = buildKeys[k]} (null-safe where {@code nullSafe[k]}) and the residual
   * condition over the probe columns then the build columns. With {@code emitBuildSide}, a
   * SEMI/ANTI join whose preserved side is the build side.
   */
  public HashJoinFactory(int nodeId, JoinType type, List<Expr> probeKeys, List<Expr> buildKeys, boolean[] nullSafe,
      Expr residual, List<ColumnRef> probeColumns, List<ColumnRef> buildColumns, int nullAwareKey, String shown,
      boolean emitBuildSide) {
    this.nodeId = nodeId;
    List<ColumnRef> joined = new ArrayList<>(probeColumns);
    joined.addAll(buildColumns);
    this.spec = new JoinSpec(type, new ExprCompiler(probeColumns).compileAll(probeKeys),
        new ExprCompiler(buildColumns).compileAll(buildKeys), nullSafe,
        residual == null ? null : new ExprCompiler(joined).compile(residual), Exprs.types(probeColumns),
        Exprs.types(buildColumns), nullAwareKey);
    this.spec.emitBuildSide = emitBuildSide;
    this.buildKeyTypes = Exprs.types(buildKeys);
    this.buildFusion = buildKeys.isEmpty() ? null
        : new FusionSpec.JoinBuild(List.copyOf(buildKeys), List.copyOf(buildColumns), shown);
    this.shown = shown;
    this.fusion = fusible(probeKeys, buildKeys, nullAwareKey, residual)
        ? new FusionSpec.Probe(type, List.copyOf(probeKeys), Exprs.types(buildKeys), booleans(nullSafe), residual,
            nullAwareKey, emitBuildSide, List.copyOf(probeColumns), List.copyOf(buildColumns), this::probeTable,
            describe())
        : null;
  }

  /**
   * Shapes the code generator handles: joins whose key pairs have one physical kind (with no keys,
   * a nested loop: every build row is in one chain), except correlated NOT IN (which looks at
   * correlation groups).
   */
  private static boolean fusible(List<Expr> probeKeys, List<Expr> buildKeys, int nullAwareKey, Expr residual) {
    // A NOT IN whose subquery is correlated (by equalities, or by a residual condition) decides its
    // NULLs per probe row over that row's own build rows: only the interpreted operator does.
    if (nullAwareKey >= 0 && (probeKeys.size() > 1 || residual != null)) {
      return false;
    }
    for (int k = 0; k < probeKeys.size(); k++) {
      if (probeKeys.get(k).type().kind() != buildKeys.get(k).type().kind()) {
        return false;
      }
    }
    return true;
  }


  private static List<Boolean> booleans(boolean[] flags) {
    List<Boolean> out = new ArrayList<>();
    for (boolean f : flags) {
      out.add(f);
    }
    return out;
  }

  /** A spilled join's probe only sets rows aside, which its interpreted operator does. */
  @Override
  public FusionSpec fusion() {
    return grace != null ? null : fusion;
  }

  /**
   * Whether the join can run a partition at a time when its build side outgrows memory: it has
   * keys to partition by, and it is not a NOT IN (whose NULL rules look at the whole build side).
   */
  public boolean canSpill() {
    return !spec.buildKeys.isEmpty() && spec.nullAwareKey < 0;
  }

  /** The build key expressions, for a {@link JoinBuildSink} that spills to hash rows as the probe will. */
  public List<io.kiln.physical.expr.Evaluator> buildKeys() {
    return spec.buildKeys;
  }

  /**
   * What compiled build pipelines fuse into their loop (hashing each row's key as they write it),
   * or null for a nested loop, which has no keys.
   */
  public FusionSpec.JoinBuild buildFusion() {
    return buildFusion;
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  /** Outer joins and build-preserving SEMI/ANTI joins emit build rows once every probe row is seen. */
  @Override
  public boolean emitsAtFinish() {
    return spec.type == JoinType.RIGHT || spec.type == JoinType.FULL || spec.emitBuildSide;
  }

  /** The built table for generated code, or null before {@link #build}. */
  private synchronized ProbeTable probeTable() {
    return probeTable;
  }

  /** Builds the table from the build side's rows, which the sink collected; run once, before any probe. */
  public synchronized void build(JoinBuildSink sink, ExecContext ctx) {
    if (table != null || grace != null) {
      throw new IllegalStateException("the hash table of " + describe() + " was built twice");
    }
    if (sink.spilled()) {
      grace = new GraceJoin(this, spec, sink.takeSpilled(ctx),
          ctx.register(new PartitionedSpill(ctx.spill(), describe(), 0)));
      return;
    }
    // The chains live on the heap: count them against the query's memory limit too.
    HeapReservation memory = ctx.register(new HeapReservation(ctx.allocator(), describe()));
    table = ctx.register(tableOf(sink.take(), ctx, memory));
    Batch rows = table.rows;
    ValueVector[] keys = table.keys;
    if (spec.nullAwareKey >= 0) {
      ValueVector in = keys[spec.nullAwareKey];
      for (int j = 0; j < rows.rowCount(); j++) {
        spec.buildHasNullInKey |= in.isNull(j);
      }
      if (keys.length > 1) {
        // Correlated NOT IN: the NULL rules look at the rows of the same correlation group.
        ValueVector[] corr = new ValueVector[keys.length - 1];
        boolean[] corrSafe = new boolean[keys.length - 1];
        for (int k = 0, c = 0; k < keys.length; k++) {
          if (k != spec.nullAwareKey) {
            corrSafe[c] = spec.nullSafe[k];
            corr[c++] = VectorOps.share(keys[k], ctx.allocator());
          }
        }
        groups = ctx.register(new JoinTable(Batches.share(rows, ctx.allocator()), corr, corrSafe, false));
      }
    }
    probeTable = new ProbeTable(table, spec.buildHasNullInKey);
  }

  /**
   * A table of {@code collected}'s rows (whose batches it closes), copied into one batch and chained
   * on this thread and the query's idle workers, its chains reserved in {@code memory}.
   */
  JoinTable tableOf(JoinBuildSink.Rows collected, ExecContext ctx, HeapReservation memory) {
    Batch rows;
    try {
      rows = Batches.concat(collected.batches, spec.buildTypes, ctx.allocator(), ctx.workers(), ctx.threads() - 1);
    } finally {
      Batches.closeAll(collected.batches);
    }
    ValueVector[] keys = new ValueVector[spec.buildKeys.size()];
    try {
      for (int k = 0; k < keys.length; k++) {
        keys[k] = spec.buildKeys.get(k).evaluate(rows, ctx.allocator());
      }
      memory.growTo(CHAIN_BYTES_PER_ROW * Math.max(1, rows.rowCount()));
    } catch (RuntimeException e) {
      Batches.closeAll(keys);
      rows.close();
      throw e;
    }
    // The joins that emit build rows at the end need to know which ones matched.
    return new JoinTable(rows, keys, spec.nullSafe, emitsAtFinish(), hashes(collected, keys), ctx.workers(),
        ctx.threads() - 1);
  }

  /**
   * Each build row's key hash: those compiled build pipelines computed as they wrote the rows, the
   * rest (batches from interpreted pipelines) from the key vectors.
   */
  private static long[] hashes(JoinBuildSink.Rows collected, ValueVector[] keys) {
    int n = 0;
    for (int count : collected.rowCounts) {
      n += count;
    }
    long[] out = new long[n];
    int at = 0;
    for (int i = 0; i < collected.rowCounts.length; i++) {
      int count = collected.rowCounts[i];
      long[] computed = collected.hashes.get(i);
      if (computed == null) {
        KeyVectors.hashRange(keys, at, at + count, out);
      } else {
        System.arraycopy(computed, 0, out, at, count);
      }
      at += count;
    }
    return out;
  }

  /**
   * Predicates on a probe-side scan's column {@code column} (an index in its table's schema) that
   * every probe row whose key number {@code key} can match passes: what a runtime filter narrows
   * the scan by. Asked once the table is built.
   */
  public synchronized List<io.kiln.catalog.ColumnPredicate> runtimePredicates(int key, int column) {
    if (grace != null) {
      return List.of(); // its keys are on disk, a partition at a time: no filter
    }
    if (table == null) {
      throw new IllegalStateException("a scan asked for the keys of " + describe() + " before its build side finished");
    }
    // Worked out once per key (Q17's two lineitem scans both ask for join 4's keys), then put on each scan's column.
    List<io.kiln.catalog.ColumnPredicate> onKey = keyPredicates.computeIfAbsent(key,
        k -> BuildKeyValues.predicates(table.keys[k], buildKeyTypes.get(k), table.size(), 0));
    List<io.kiln.catalog.ColumnPredicate> out = new java.util.ArrayList<>(onKey.size());
    for (io.kiln.catalog.ColumnPredicate p : onKey) {
      out.add(new io.kiln.catalog.ColumnPredicate(column, p.op(), p.values()));
    }
    return out;
  }

  /** {@link #runtimePredicates} of each key asked for so far, on column 0. */
  private final java.util.Map<Integer, List<io.kiln.catalog.ColumnPredicate>> keyPredicates = new java.util.HashMap<>();

  /**
   * An empty build side matches no probe row: the joins that keep only matched probe rows (or, with
   * the build side preserved, only build rows, of which there are none) make nothing.
   */
  @Override
  public synchronized boolean dropsEveryRow() {
    return table != null && table.size() == 0 && (spec.emitBuildSide || spec.type == JoinType.INNER
        || spec.type == JoinType.SEMI || spec.type == JoinType.RIGHT);
  }

  @Override
  public synchronized Operator create(ExecContext ctx) {
    if (grace != null) {
      return grace.setAside(ctx);
    }
    if (table == null) {
      throw new IllegalStateException(describe() + " probed before its build side finished");
    }
    return new HashJoinOperator(spec, table, groups, ctx.allocator(), ctx::throwIfCancelled);
  }

  /** Once a spilled join's probe rows are all set aside, joins them a partition at a time. */
  @Override
  public boolean setsAside() {
    return grace != null;
  }

  /** The number of pipelines that probe this join (1 unless its probe side is a UNION ALL). */
  public void probedBy(int pipelines) {
    probesRunning.set(pipelines);
  }

  /** Once the last probe pipeline has set its rows aside (every pipeline asks; only the last runs them). */
  @Override
  public void runSetAside(ExecContext ctx, java.util.function.Consumer<Batch> out) {
    if (probesRunning.decrementAndGet() == 0) {
      grace.run(ctx, out);
    }
  }

  /** A join of these rows, for one partition of a spilled join. */
  Operator operator(JoinTable partition, ExecContext ctx) {
    return new HashJoinOperator(spec, partition, null, ctx.allocator(), ctx::throwIfCancelled);
  }

  @Override
  public String describe() {
    return (spec.buildKeys.isEmpty() ? "NestedLoopJoin " : "HashJoin ") + spec.type
        + (spec.emitBuildSide ? " (build side preserved)" : "") + " " + shown;
  }
}
