package io.kiln.physical.agg;

import io.kiln.physical.plan.AggregateMode;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One aggregate's running values for every group id of a {@link GroupTable}. Besides its final
 * value, a state can be written out as Arrow columns, one row per group, and merged back in from
 * such columns: that is how a PARTIAL aggregation hands its groups to a FINAL one across threads,
 * files or the network (see {@link AggregateMode}).
 */
public interface AggState {
  /** Folds rows {@code 0..n) into their groups; {@code arg} is null for count(*), {@code filter} may be null. */
  void update(int[] groups, int n, ValueVector arg, BitVector filter);

  /** Folds another state's groups in; {@code map[g]} is the group here of group g there. */
  void merge(AggState other, int[] map, int otherGroups);

  /** Makes room for group ids below {@code groups}. */
  void ensure(int groups);

  ValueVector result(int groups, BufferAllocator allocator);

  /**
   * The columns {@link #writeState} makes and {@link #mergeState} reads, in order. Their names and
   * types are a wire format (they cross the network between the phases): change them only with
   * every reader, and the layout documented in {@link AggStates}.
   */
  List<Field> stateFields();

  /** Groups {@code 0..groups)} as new vectors of {@link #stateFields}, one row per group; the caller owns them. */
  ValueVector[] writeState(int groups, BufferAllocator allocator);

  /**
   * Folds row r of {@code stateColumns} (vectors of {@link #stateFields}) into group
   * {@code groupIds[r]} for r in {@code 0..n)}, as {@link #merge} folds another state's group.
   */
  void mergeState(int[] groupIds, int n, ValueVector[] stateColumns);

  /**
   * Heap bytes it holds beyond the 16 per group {@link HashAggregateSink} assumes for every state:
   * for states whose size grows with the values, not only the groups.
   */
  default long heapBytes() {
    return 0;
  }

  static boolean skip(ValueVector arg, BitVector filter, int i) {
    return (filter != null && (filter.isNull(i) || filter.get(i) == 0)) || (arg != null && arg.isNull(i));
  }
}
