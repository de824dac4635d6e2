package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ColumnPredicate.Op;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/**
 * The scan's predicate evaluation on decoded values, fed column predicates directly (SQL casts
 * most mixed-scale comparisons before they reach the scan): bounds between two stored values round
 * to the one that keeps the answer exact, values with no exact place are left to the filter above,
 * NULLs fail every comparison, and doubles keep NaN and zeros.
 */
class DecodedRowFilterTest {
  private static ParquetColumn column(String name, DataType type, PrimitiveTypeName physical) {
    PrimitiveType p = Types.optional(physical).named(name);
    return new ParquetColumn(name, new ColumnDescriptor(new String[] {name}, p, 0, 1), null, type,
        physical == PrimitiveTypeName.DOUBLE ? ParquetColumn.Decoding.DOUBLE : ParquetColumn.Decoding.INT64);
  }

  private static final ParquetColumn PRICE = column("price", DataType.decimal(12, 2), PrimitiveTypeName.INT64);
  private static final ParquetColumn DAY = column("day", DataType.DATE, PrimitiveTypeName.INT32);
  private static final ParquetColumn D = column("d", DataType.DOUBLE, PrimitiveTypeName.DOUBLE);

  /** Positions of {@code values} (NULL for null) that {@code p} on {@code c} keeps, or null if it decides nothing. */
  private static int[] kept(ParquetColumn c, ColumnPredicate p, Object... values) {
    DecodedRowFilter f = DecodedRowFilter.create(List.of(c), List.of(p), List.of(c));
    if (f == null) {
      return null;
    }
    try (BufferAllocator allocator = new RootAllocator();
        ValueVector v = Vectors.allocate(c.type, c.name, allocator, values.length)) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
        } else if (v instanceof BigIntVector) {
          ((BigIntVector) v).set(i, (Long) values[i]);
        } else {
          ((Float8Vector) v).set(i, (Double) values[i]);
        }
      }
      v.setValueCount(values.length);
      int[] sel = new int[values.length];
      Arrays.setAll(sel, i -> i);
      int m = f.select(new ValueVector[] {v}, sel, values.length, values.length, new boolean[1]);
      return Arrays.copyOf(sel, m);
    }
  }

  private static ColumnPredicate p(Op op, Object... values) {
    return new ColumnPredicate(0, op, List.of(values));
  }

  @Test
  void decimalBoundsOfAFinerScaleRoundToTheExactStoredBound() {
    // price is DECIMAL(12,2): stored 10000 is 100.00, 10001 is 100.01.
    Object[] prices = {9_999L, 10_000L, 10_001L, 10_002L, null};
    BigDecimal between = new BigDecimal("100.005");
    assertArrayEquals(new int[] {2, 3}, kept(PRICE, p(Op.GT, between), prices));
    assertArrayEquals(new int[] {2, 3}, kept(PRICE, p(Op.GE, between), prices));
    assertArrayEquals(new int[] {0, 1}, kept(PRICE, p(Op.LT, between), prices));
    assertArrayEquals(new int[] {0, 1}, kept(PRICE, p(Op.LE, between), prices));
    assertArrayEquals(new int[] {2}, kept(PRICE, p(Op.EQ, new BigDecimal("100.010")), prices));
    assertArrayEquals(new int[] {1, 2}, kept(PRICE, p(Op.IN, new BigDecimal("100"), new BigDecimal("100.01")), prices));
    assertArrayEquals(new int[] {0, 2, 3}, kept(PRICE, p(Op.NE, 100L), prices));
    assertNull(kept(PRICE, p(Op.EQ, between), prices), "no stored value equals 100.005: the filter above decides");
    assertNull(kept(PRICE, p(Op.EQ, 100.5d), prices), "a DOUBLE literal: compared in floating point above");
  }

  @Test
  void boundsBeyondTheLongRangeAndContradictionsAreExact() {
    Object[] prices = {Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE};
    assertNull(kept(PRICE, p(Op.LT, new BigDecimal("1e40")), prices));
    ColumnPredicate low = new ColumnPredicate(0, Op.GT, List.of(new BigDecimal("5")));
    ColumnPredicate high = new ColumnPredicate(0, Op.LT, List.of(new BigDecimal("4")));
    DecodedRowFilter f = DecodedRowFilter.create(List.of(PRICE), List.of(low, high), List.of(PRICE));
    try (BufferAllocator allocator = new RootAllocator(); BigIntVector v = new BigIntVector("price", allocator)) {
      v.allocateNew(2);
      v.set(0, 450);
      v.set(1, 600);
      v.setValueCount(2);
      int[] sel = {0, 1};
      assertArrayEquals(new int[0], Arrays.copyOf(sel, f.select(new ValueVector[] {v}, sel, 2, 2, new boolean[1])));
    }
  }

  @Test
  void datesCompareAsDaysAndNullsFailComparisons() {
    long day = LocalDate.parse("1995-01-01").toEpochDay();
    Object[] days = {day - 1, day, null, day + 10, day + 9};
    assertArrayEquals(new int[] {1, 3, 4}, kept(DAY, p(Op.GE, LocalDate.parse("1995-01-01")), days));
    assertArrayEquals(new int[] {2}, kept(DAY, p(Op.IS_NULL), days));
    assertArrayEquals(new int[] {0, 1, 3, 4}, kept(DAY, p(Op.IS_NOT_NULL), days));
    assertNull(kept(DAY, p(Op.GE, "1995-01-01"), days), "a string literal on a date column: left to the filter");
  }

  @Test
  void doublesKeepNaNAndZerosForTheFilterAbove() {
    Object[] ds = {Double.NaN, -0.0, 0.0, 1.5, 2.5, null};
    assertArrayEquals(new int[] {0, 1, 2, 3}, kept(D, p(Op.LT, 2.0d), ds));
    assertArrayEquals(new int[] {0, 1, 2, 4}, kept(D, p(Op.GT, 2.0d), ds));
    assertNull(kept(D, p(Op.LT, new BigDecimal("0.1")), ds), "0.1 is not a double: left to the filter");
  }
}
