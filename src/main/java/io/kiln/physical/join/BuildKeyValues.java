package io.kiln.physical.join;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;

/**
 * What one build key column of a hash join holds, as predicates a probe-side scan can skip rows
 * and row groups by: the range of its values, and the values themselves when there are few (none:
 * an empty IN list, which skips everything). NULL keys are left out (they match nothing).
 * Floating-point keys give none (NaN and signed zeros compare in ways a scan's statistics do not),
 * strings only their values (the scan's statistics order bytes, not Java strings).
 */
final class BuildKeyValues {
  /** Up to this many distinct values become an IN list; more would cost more to test than they save. */
  static final int MAX_IN_VALUES = 4096;

  private BuildKeyValues() {}

  /** Predicates on the scan's column {@code column} that every value of {@code key} (of type {@code type}) passes. */
  static List<ColumnPredicate> predicates(ValueVector key, DataType type, int rows, int column) {
    if (key.getNullCount() == rows) {
      // No key to match: no row of the scan can reach the join's result.
      return List.of(new ColumnPredicate(column, ColumnPredicate.Op.IN, List.of()));
    }
    if (type.kind() == PhysicalKind.LONG && key instanceof BigIntVector longs) {
      return longPredicates(longs, type, rows, column);
    }
    if (type.id() == DataType.Id.VARCHAR) {
      Set<Object> values = new HashSet<>();
      for (int i = 0; i < rows && values.size() <= MAX_IN_VALUES; i++) {
        if (!key.isNull(i)) {
          values.add(Vectors.get(key, type, i));
        }
      }
      return values.isEmpty() || values.size() > MAX_IN_VALUES ? List.of()
          : List.of(new ColumnPredicate(column, ColumnPredicate.Op.IN, new ArrayList<>(values)));
    }
    return List.of();
  }

  private static List<ColumnPredicate> longPredicates(BigIntVector key, DataType type, int rows, int column) {
    int minRow = -1;
    int maxRow = -1;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    // A row holding each distinct value, while there are few.
    Map<Long, Integer> distinct = new HashMap<>();
    for (int i = 0; i < rows; i++) {
      if (key.isNull(i)) {
        continue;
      }
      long v = key.get(i);
      if (v < min) {
        min = v;
        minRow = i;
      }
      if (v > max) {
        max = v;
        maxRow = i;
      }
      if (distinct != null) {
        distinct.putIfAbsent(v, i);
        if (distinct.size() > MAX_IN_VALUES) {
          distinct = null;
        }
      }
    }
    if (minRow < 0) {
      return List.of();
    }
    List<ColumnPredicate> out = new ArrayList<>();
    out.add(new ColumnPredicate(column, ColumnPredicate.Op.GE, List.of(value(key, type, minRow))));
    out.add(new ColumnPredicate(column, ColumnPredicate.Op.LE, List.of(value(key, type, maxRow))));
    if (distinct != null && distinct.size() > 1) {
      List<Object> values = new ArrayList<>();
      for (int row : distinct.values()) {
        values.add(value(key, type, row));
      }
      out.add(new ColumnPredicate(column, ColumnPredicate.Op.IN, values));
    }
    return out;
  }

  /** The value as {@link ColumnPredicate} takes it (Long for every integer type). */
  private static Object value(ValueVector key, DataType type, int row) {
    Object v = Vectors.get(key, type, row);
    return v instanceof Integer || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).longValue() : v;
  }
}
