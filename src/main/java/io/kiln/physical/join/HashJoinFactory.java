package io.kiln.physical.join;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.exec.Executor;
import io.kiln.logical.JoinType;
import io.kiln.physical.Batches;
import io.kiln.physical.Operator;
import io.kiln.physical.Pipeline;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.expr.VectorOps;
import io.kiln.physical.sink.CollectSink;
import io.kiln.types.DataType;
import java.util.List;
import org.apache.arrow.vector.ValueVector;

/**
 * A hash join's probe step. {@link #prepare} first runs the build side's pipelines and builds the
 * table that every worker's probe operator then reads.
 */
public final class HashJoinFactory implements Executor.FinishingOperatorFactory {
  private final JoinSpec spec;
  private final List<Pipeline> build;
  private final String shown;
  private JoinTable table;
  private JoinTable groups;

  public HashJoinFactory(JoinType type, List<Evaluator> probeKeys, List<Evaluator> buildKeys, boolean[] nullSafe,
      Evaluator residual, List<DataType> probeTypes, List<DataType> buildTypes, int nullAwareKey,
      List<Pipeline> build, String shown) {
    this(type, probeKeys, buildKeys, nullSafe, residual, probeTypes, buildTypes, nullAwareKey, build, shown, false);
  }

  /** With {@code emitBuildSide}, a SEMI/ANTI join whose preserved side is the build side. */
  public HashJoinFactory(JoinType type, List<Evaluator> probeKeys, List<Evaluator> buildKeys, boolean[] nullSafe,
      Evaluator residual, List<DataType> probeTypes, List<DataType> buildTypes, int nullAwareKey,
      List<Pipeline> build, String shown, boolean emitBuildSide) {
    this.spec = new JoinSpec(type, probeKeys, buildKeys, nullSafe, residual, probeTypes, buildTypes, nullAwareKey);
    this.spec.emitBuildSide = emitBuildSide;
    this.build = build;
    this.shown = shown;
  }

  @Override
  public synchronized void prepare(ExecContext ctx) {
    if (table != null) {
      return;
    }
    List<Batch> batches;
    try (CollectSink sink = new CollectSink()) {
      Executor.run(build, sink, ctx);
      batches = sink.take();
    }
    Batch rows;
    try {
      rows = Batches.concat(batches, spec.buildTypes, ctx.allocator());
    } finally {
      Batches.closeAll(batches);
    }
    ValueVector[] keys = new ValueVector[spec.buildKeys.size()];
    try {
      for (int k = 0; k < keys.length; k++) {
        keys[k] = spec.buildKeys.get(k).evaluate(rows, ctx.allocator());
      }
    } catch (RuntimeException e) {
      Batches.closeAll(keys);
      rows.close();
      throw e;
    }
    boolean trackMatches = spec.type == JoinType.RIGHT || spec.type == JoinType.FULL || spec.emitBuildSide;
    // The chains live on the heap: count them against the query's memory limit too.
    io.kiln.exec.HeapReservation memory = ctx.register(new io.kiln.exec.HeapReservation(ctx.allocator(), describe()));
    try {
      memory.growTo(32L * Math.max(1, rows.rowCount()));
    } catch (RuntimeException e) {
      Batches.closeAll(keys);
      rows.close();
      throw e;
    }
    table = ctx.register(new JoinTable(rows, keys, spec.nullSafe, trackMatches));
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
        ValueVector[] shared = new ValueVector[rows.columnCount()];
        for (int c = 0; c < shared.length; c++) {
          shared[c] = VectorOps.share(rows.column(c), ctx.allocator());
        }
        groups = ctx.register(new JoinTable(new Batch(shared, rows.rowCount()), corr, corrSafe, false));
      }
    }
  }

  @Override
  public Operator create(ExecContext ctx) {
    if (table == null) {
      prepare(ctx);
    }
    return new HashJoinOperator(spec, table, groups, ctx.allocator());
  }

  @Override
  public String describe() {
    return (spec.buildKeys.isEmpty() ? "NestedLoopJoin " : "HashJoin ") + spec.type
        + (spec.emitBuildSide ? " (build side preserved)" : "") + " " + shown;
  }

  @Override
  public List<Pipeline> dependencies() {
    return build;
  }
}
