package io.kiln.physical.agg;

import io.kiln.data.Vectors;
import io.kiln.logical.AggregateCall;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * arg_min(x, by) and arg_max(x, by): each group keeps the smallest (largest) {@code by} seen and
 * the x of its row. Rows where x or by is NULL are skipped, as in DuckDB; of rows with equal
 * {@code by} the first one folded in wins, which is no particular one. The rows' two values come
 * in as one struct vector of (x, by), made by {@link ArgumentPairEvaluator}. The state is {@code by}
 * and {@code value} (x), of their kinds, both NULL while a group has no row.
 */
public final class ArgMinMaxState implements AggState {
  private final boolean min;
  private final AggregateCall call;
  private final GroupValues best;
  private final GroupValues values;

  ArgMinMaxState(AggregateCall call) {
    this.call = call;
    this.min = call.fn() == AggregateCall.Fn.ARG_MIN;
    this.best = new GroupValues(call.by().type().kind());
    this.values = new GroupValues(call.arg().type().kind());
  }

  private boolean better(int comparison) {
    return min ? comparison < 0 : comparison > 0;
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    StructVector pair = (StructVector) arg;
    fold(groups, n, pair.getChildByOrdinal(0), pair.getChildByOrdinal(1), filter);
  }

  /** Folds row i's (value, by) into group {@code groups[i]} for the rows {@code filter} keeps. */
  private void fold(int[] groups, int n, ValueVector value, ValueVector by, BitVector filter) {
    for (int i = 0; i < n; i++) {
      if (AggState.skip(by, filter, i) || value.isNull(i)) {
        continue;
      }
      int g = groups[i];
      if (!best.has(g) || better(best.compare(by, i, g))) {
        best.set(g, by, i);
        values.set(g, value, i);
      }
    }
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    ArgMinMaxState o = (ArgMinMaxState) other;
    for (int og = 0; og < otherGroups; og++) {
      int g = map[og];
      if (o.best.has(og) && (!best.has(g) || better(best.compare(o.best, og, g)))) {
        best.set(g, o.best, og);
        values.set(g, o.values, og);
      }
    }
  }

  @Override
  public void ensure(int groups) {
    best.ensure(groups);
    values.ensure(groups);
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    return values.writeTo(Vectors.allocate(call.type(), "argminmax", allocator, groups), groups);
  }

  @Override
  public List<Field> stateFields() {
    return List.of(StateVectors.column("by", best.kind(), true), StateVectors.column("value", values.kind(), true));
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    List<Field> fields = stateFields();
    ValueVector[] out = new ValueVector[2];
    return StateVectors.built(out, () -> {
      out[0] = best.writeTo(StateVectors.allocate(fields.get(0), groups, allocator), groups);
      out[1] = values.writeTo(StateVectors.allocate(fields.get(1), groups, allocator), groups);
    });
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    fold(groupIds, n, stateColumns[1], stateColumns[0], null);
  }
}
