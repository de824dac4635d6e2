package io.kiln.physical.agg;

import io.kiln.catalog.AggregateUdf;
import io.kiln.data.Vectors;
import io.kiln.physical.expr.VectorOps;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A user's aggregate ({@link AggregateUdf}): the user's state object per group, made by its init
 * at the group's first value. The state column is {@code state}, the user's serialized form
 * (Binary, not null; a group without values carries its init state), merged by the user's merge.
 */
public final class UdfAggState implements AggState {
  static final List<Field> FIELDS = List.of(new Field("state", FieldType.notNullable(ArrowType.Binary.INSTANCE),
      null));

  private final AggregateUdf function;
  private Object[] states = new Object[16];

  UdfAggState(AggregateUdf function) {
    function.requireRegistered(); // fail before the first batch, also when there is none
    this.function = function;
  }

  /** One row of generated code's update: the engine value, boxed, never null. */
  public void add(int g, Object v) {
    states[g] = function.update(state(g), v);
  }

  private Object state(int g) {
    Object s = states[g];
    return s != null ? s : function.init();
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    for (int i = 0; i < n; i++) {
      if (!AggState.skip(arg, filter, i)) {
        add(groups[i], VectorOps.read(arg, i));
      }
    }
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    Object[] o = ((UdfAggState) other).states;
    for (int g = 0; g < otherGroups; g++) {
      if (o[g] != null) {
        fold(map[g], o[g]);
      }
    }
  }

  private void fold(int g, Object other) {
    states[g] = states[g] == null ? other : function.merge(states[g], other);
  }

  @Override
  public void ensure(int groups) {
    if (states.length < groups) {
      states = Arrays.copyOf(states, Math.max(groups, states.length * 2));
    }
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    ValueVector v = Vectors.allocate(function.returnType(), function.name(), allocator, groups);
    try {
      for (int g = 0; g < groups; g++) {
        VectorOps.write(v, g, function.finish(state(g)));
      }
      v.setValueCount(groups);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  @Override
  public List<Field> stateFields() {
    return FIELDS;
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    VarBinaryVector v = (VarBinaryVector) StateVectors.allocate(FIELDS.get(0), groups, allocator);
    ValueVector[] out = {v};
    return StateVectors.built(out, () -> {
      for (int g = 0; g < groups; g++) {
        v.setSafe(g, function.serialize(state(g)));
      }
      v.setValueCount(groups);
    });
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    VarBinaryVector v = (VarBinaryVector) stateColumns[0];
    for (int r = 0; r < n; r++) {
      if (!v.isNull(r)) {
        fold(groupIds[r], function.deserialize(v.get(r)));
      }
    }
  }
}
