package io.kiln.physical.agg;

import io.kiln.logical.AggregateCall;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * An aggregate over DISTINCT values of a LONG, DOUBLE or BOOLEAN argument: one flat hash set of
 * (group, value) pairs for all groups, in primitive arrays, rather than a set of boxed values per
 * group. Values are compared by their bits, as {@code Double.equals} compares doubles. The final
 * value folds every pair through the plain aggregate in one pass. Its state is {@code values}, a
 * List of the argument's kind per group, as for the other DISTINCT aggregates.
 */
public final class DistinctValuesState implements AggState {
  private final AggregateCall call;
  private final DataType argType;
  private final PhysicalKind kind;
  /** Pair i is (groupOf[i], valueOf[i]); pairs are never removed. */
  private int[] groupOf = new int[16];
  private long[] valueOf = new long[16];
  private int size;
  /** Open addressing over the pairs: pair index + 1, or 0 for an empty slot; at most half full. */
  private int[] slots = new int[32];
  /** Pairs per group. */
  private int[] counts = new int[16];

  DistinctValuesState(AggregateCall call, DataType argType) {
    this.call = call;
    this.argType = argType;
    this.kind = argType.kind();
    if (kind == PhysicalKind.STRING) {
      throw new IllegalArgumentException(call + ": strings keep their distinct values in AggStates.Distinct");
    }
  }

  /** One row of generated code's update (a value, never NULL). */
  public void add(int g, long v) {
    insert(g, v);
  }

  public void add(int g, double v) {
    insert(g, Double.doubleToLongBits(v));
  }

  public void add(int g, boolean v) {
    insert(g, v ? 1 : 0);
  }

  private long bits(ValueVector v, int i) {
    return switch (kind) {
      case LONG -> ((BigIntVector) v).get(i);
      case DOUBLE -> Double.doubleToLongBits(((Float8Vector) v).get(i));
      default -> ((BitVector) v).get(i);
    };
  }

  private static int hash(int g, long v) {
    long h = (v ^ ((long) g << 32 | g)) * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private void insert(int g, long v) {
    int mask = slots.length - 1;
    for (int s = hash(g, v) & mask; ; s = (s + 1) & mask) {
      int at = slots[s];
      if (at == 0) {
        break;
      }
      if (valueOf[at - 1] == v && groupOf[at - 1] == g) {
        return;
      }
    }
    if (size == groupOf.length) {
      groupOf = Arrays.copyOf(groupOf, size * 2);
      valueOf = Arrays.copyOf(valueOf, size * 2);
    }
    groupOf[size] = g;
    valueOf[size] = v;
    size++;
    counts[g]++;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    } else {
      place(size - 1);
    }
  }

  private void place(int pair) {
    int mask = slots.length - 1;
    int s = hash(groupOf[pair], valueOf[pair]) & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = pair + 1;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int i = 0; i < size; i++) {
      place(i);
    }
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    for (int i = 0; i < n; i++) {
      if (!AggState.skip(arg, filter, i)) {
        insert(groups[i], bits(arg, i));
      }
    }
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    DistinctValuesState o = (DistinctValuesState) other;
    for (int i = 0; i < o.size; i++) {
      insert(map[o.groupOf[i]], o.valueOf[i]);
    }
  }

  @Override
  public void ensure(int groups) {
    if (counts.length < groups) {
      counts = Arrays.copyOf(counts, Math.max(groups, counts.length * 2));
    }
  }

  /** Heap bytes of its arrays, which grow with distinct values as well as with groups. */
  @Override
  public long heapBytes() {
    return 12L * groupOf.length + 4L * slots.length + 4L * counts.length;
  }

  @Override
  public List<Field> stateFields() {
    return List.of(StateVectors.list("values", kind));
  }

  /** The pairs of groups {@code 0..groups)} ordered by group: each group's values from {@code start[g]} to {@code start[g + 1]}. */
  private int[] byGroup(int groups, int[] start) {
    for (int g = 0; g < groups; g++) {
      start[g + 1] = start[g] + counts[g];
    }
    int[] at = Arrays.copyOf(start, groups);
    int[] order = new int[start[groups]];
    for (int i = 0; i < size; i++) {
      int g = groupOf[i];
      if (g < groups) {
        order[at[g]++] = i;
      }
    }
    return order;
  }

  private void write(ValueVector into, int row, long v) {
    switch (kind) {
      case LONG -> ((BigIntVector) into).setSafe(row, v);
      case DOUBLE -> ((Float8Vector) into).setSafe(row, Double.longBitsToDouble(v));
      default -> ((BitVector) into).setSafe(row, (int) v);
    }
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    ListVector v = (ListVector) StateVectors.allocate(stateFields().get(0), groups, allocator);
    ValueVector[] out = {v};
    return StateVectors.built(out, () -> {
      int[] start = new int[groups + 1];
      int[] order = byGroup(groups, start);
      ValueVector items = v.getDataVector();
      for (int g = 0; g < groups; g++) {
        int at = v.startNewValue(g);
        for (int k = start[g]; k < start[g + 1]; k++) {
          write(items, at++, valueOf[order[k]]);
        }
        v.endValue(g, start[g + 1] - start[g]);
      }
      v.setValueCount(groups);
    });
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    StateVectors.forEachListItem((ListVector) stateColumns[0], groupIds, n, (items, i, g) -> insert(g, bits(items, i)));
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    // Every pair through the plain aggregate at once, in group order (a sum of doubles adds in a fixed order).
    AggregateCall plain = call.withDistinct(false).withExprs(call.arg(), call.by(), null);
    AggState folded = AggStates.create(plain);
    folded.ensure(groups);
    int[] start = new int[groups + 1];
    int[] order = byGroup(groups, start);
    int n = order.length;
    int[] ids = new int[n];
    try (ValueVector values = Vectors.allocate(argType, "distinct", allocator, n)) {
      for (int g = 0; g < groups; g++) {
        for (int k = start[g]; k < start[g + 1]; k++) {
          ids[k] = g;
          write(values, k, valueOf[order[k]]);
        }
      }
      values.setValueCount(n);
      folded.update(ids, n, values, null);
    }
    return folded.result(groups, allocator);
  }
}
