package io.kiln.physical.agg;

import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * bool_and and bool_or: each group's value so far, NULL until it has one. The state is that value
 * ({@code value} Bool, nullable), so merging is the same fold.
 */
public final class BoolAndOrState implements AggState {
  private static final byte NONE = 0;
  private static final byte FALSE = 1;
  private static final byte TRUE = 2;
  static final List<Field> FIELDS = List.of(StateVectors.column("value", PhysicalKind.BOOLEAN, true));

  private final boolean and;
  private byte[] values = new byte[16];

  BoolAndOrState(boolean and) {
    this.and = and;
  }

  /** One row of generated code's update (a boxed Boolean, never null). */
  public void add(int g, Object v) {
    fold(g, (Boolean) v);
  }

  private void fold(int g, boolean v) {
    byte now = values[g];
    if (now == NONE) {
      values[g] = v ? TRUE : FALSE;
    } else if (and ? !v : v) {
      values[g] = v ? TRUE : FALSE; // false decides AND, true decides OR
    }
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    BitVector bits = (BitVector) arg;
    for (int i = 0; i < n; i++) {
      if (!AggState.skip(arg, filter, i)) {
        fold(groups[i], bits.get(i) != 0);
      }
    }
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    byte[] o = ((BoolAndOrState) other).values;
    for (int g = 0; g < otherGroups; g++) {
      if (o[g] != NONE) {
        fold(map[g], o[g] == TRUE);
      }
    }
  }

  @Override
  public void ensure(int groups) {
    if (values.length < groups) {
      values = Arrays.copyOf(values, Math.max(groups, values.length * 2));
    }
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    BitVector v = (BitVector) StateVectors.allocate(FIELDS.get(0), groups, allocator);
    for (int g = 0; g < groups; g++) {
      if (values[g] == NONE) {
        v.setNull(g);
      } else {
        v.set(g, values[g] == TRUE ? 1 : 0);
      }
    }
    v.setValueCount(groups);
    return v;
  }

  @Override
  public List<Field> stateFields() {
    return FIELDS;
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    return new ValueVector[] {result(groups, allocator)};
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    BitVector v = (BitVector) stateColumns[0];
    for (int r = 0; r < n; r++) {
      if (!v.isNull(r)) {
        fold(groupIds[r], v.get(r) != 0);
      }
    }
  }
}
