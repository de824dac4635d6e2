package io.kiln.physical.agg;

import io.kiln.types.PhysicalKind;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Making and checking the Arrow columns of aggregate states (see {@link AggState#stateFields}).
 * State columns use the engine's physical kinds (Int64, Float8, Bool, Utf8), so a state batch is an
 * ordinary engine batch, except for DISTINCT's list column.
 */
final class StateVectors {
  private StateVectors() {}

  /** The Arrow type of the engine's vectors of a physical kind. */
  static ArrowType arrowType(PhysicalKind kind) {
    switch (kind) {
      case LONG:
        return new ArrowType.Int(64, true);
      case DOUBLE:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      default:
        return ArrowType.Utf8.INSTANCE;
    }
  }

  static Field column(String name, PhysicalKind kind, boolean nullable) {
    return new Field(name, new FieldType(nullable, arrowType(kind), null), null);
  }

  /**
   * A list column whose items, never NULL, are of {@code kind}; the items' field has the name Arrow
   * Java's list vectors always give it.
   */
  static Field list(String name, PhysicalKind kind) {
    return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE),
        List.of(column(ListVector.DATA_VECTOR_NAME, kind, false)));
  }

  /** An empty vector of {@code field} with room for {@code rows} rows (strings and lists grow as they are set). */
  static ValueVector allocate(Field field, int rows, BufferAllocator allocator) {
    ValueVector v = field.createVector(allocator);
    try {
      v.setInitialCapacity(Math.max(rows, 1));
      v.allocateNew();
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** A column of {@code groups} longs: group g's value is {@code values[offset + stride * g]}. */
  static BigIntVector longs(Field field, long[] values, int offset, int stride, int groups,
      BufferAllocator allocator) {
    BigIntVector v = (BigIntVector) allocate(field, groups, allocator);
    for (int g = 0; g < groups; g++) {
      v.set(g, values[offset + stride * g]);
    }
    v.setValueCount(groups);
    return v;
  }

  static Float8Vector doubles(Field field, double[] values, int groups, BufferAllocator allocator) {
    Float8Vector v = (Float8Vector) allocate(field, groups, allocator);
    for (int g = 0; g < groups; g++) {
      v.set(g, values[g]);
    }
    v.setValueCount(groups);
    return v;
  }

  /** The data buffer's address of a fixed-width state column, as the "At" readers of {@link AggStates} take it. */
  static long data(ValueVector v) {
    return v.getDataBuffer().memoryAddress();
  }

  /** Takes item i of a list state column into group g. */
  @FunctionalInterface
  interface ListItemSink {
    void take(ValueVector items, int i, int group);
  }

  /**
   * Hands each non-NULL item of rows {@code 0..n)} of a list state column to {@code sink}, with
   * the group {@code groupIds[r]} of its row.
   */
  static void forEachListItem(ListVector v, int[] groupIds, int n, ListItemSink sink) {
    ValueVector items = v.getDataVector();
    for (int r = 0; r < n; r++) {
      if (v.isNull(r)) {
        continue;
      }
      int end = v.getElementEndIndex(r);
      for (int i = v.getElementStartIndex(r); i < end; i++) {
        if (!items.isNull(i)) {
          sink.take(items, i, groupIds[r]);
        }
      }
    }
  }

  /** Closes the vectors made so far when making a state's columns fails half way. */
  static ValueVector[] built(ValueVector[] columns, Runnable fill) {
    try {
      fill.run();
      return columns;
    } catch (RuntimeException | Error e) {
      for (ValueVector v : columns) {
        if (v != null) {
          v.close();
        }
      }
      throw e;
    }
  }
}
