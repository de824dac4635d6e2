package io.kiln.physical.agg;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/** One aggregate's running values for every group id of a {@link GroupTable}. */
public interface AggState {
  /** Folds rows {@code 0..n) into their groups; {@code arg} is null for count(*), {@code filter} may be null. */
  void update(int[] groups, int n, ValueVector arg, BitVector filter);

  /** Folds another state's groups in; {@code map[g]} is the group here of group g there. */
  void merge(AggState other, int[] map, int otherGroups);

  /** Makes room for group ids below {@code groups}. */
  void ensure(int groups);

  ValueVector result(int groups, BufferAllocator allocator);

  static boolean skip(ValueVector arg, BitVector filter, int i) {
    return (filter != null && (filter.isNull(i) || filter.get(i) == 0)) || (arg != null && arg.isNull(i));
  }
}
