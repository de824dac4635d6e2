package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ColumnPredicate.Op;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

class RowGroupPrunerTest {
  private static ParquetColumn column(PrimitiveType p, DataType type, ParquetColumn.Decoding d) {
    ColumnDescriptor desc = new ColumnDescriptor(new String[] {p.getName()}, p, 0, 1);
    return new ParquetColumn(p.getName(), desc, null, type, d);
  }

  private static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private static Statistics<?> stats(PrimitiveType p, byte[] min, byte[] max, long nulls) {
    Statistics.Builder b = Statistics.getBuilderForReading(p).withNumNulls(nulls);
    if (min != null) {
      b.withMin(min).withMax(max);
    }
    return b.build();
  }

  private static boolean may(ParquetColumn c, Statistics<?> s, long rows, Op op, Object... values) {
    return RowGroupPruner.mightMatch(new ColumnPredicate(0, op, Arrays.asList(values)), c, s, rows);
  }

  @Test
  void missingStatisticsNeverPrune() {
    PrimitiveType p = Types.optional(PrimitiveTypeName.INT64).named("x");
    ParquetColumn c = column(p, DataType.BIGINT, ParquetColumn.Decoding.INT64);
    assertTrue(may(c, null, 10, Op.EQ, 5L));
    assertTrue(may(c, Statistics.getBuilderForReading(p).build(), 10, Op.EQ, 5L));
    // A predicate value of the wrong kind is not comparable: keep the row group.
    Statistics<?> s = stats(p, le64(10), le64(20), 0);
    assertTrue(may(c, s, 10, Op.EQ, "fifteen"));
    assertFalse(may(c, s, 10, Op.EQ, 21L));
    assertTrue(may(c, s, 10, Op.EQ, 20L));
    assertFalse(may(c, s, 10, Op.IS_NULL));
    assertFalse(may(c, s, 10, Op.LT, 10.0));
    assertTrue(may(c, s, 10, Op.LT, 10.5));
    assertTrue(may(c, s, 10, Op.IN, 1L, null));
  }

  @Test
  void allNullRowGroups() {
    PrimitiveType p = Types.optional(PrimitiveTypeName.INT64).named("x");
    ParquetColumn c = column(p, DataType.BIGINT, ParquetColumn.Decoding.INT64);
    Statistics<?> s = stats(p, null, null, 10);
    assertFalse(may(c, s, 10, Op.EQ, 1L));
    assertFalse(may(c, s, 10, Op.IS_NOT_NULL));
    assertTrue(may(c, s, 10, Op.IS_NULL));
  }

  @Test
  void decimalsAreComparedExactlyAtTheirScale() {
    PrimitiveType p = Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 15)).named("m");
    ParquetColumn c = column(p, DataType.decimal(15, 2), ParquetColumn.Decoding.INT64);
    Statistics<?> s = stats(p, le64(100), le64(250), 0); // 1.00 .. 2.50
    assertFalse(may(c, s, 5, Op.GT, new BigDecimal("2.5")));
    assertTrue(may(c, s, 5, Op.GT, new BigDecimal("2.499")));
    assertFalse(may(c, s, 5, Op.LT, new BigDecimal("1.00")));
    assertTrue(may(c, s, 5, Op.LE, 1L));
    assertFalse(may(c, s, 5, Op.EQ, new BigDecimal("2.505")));
  }

  @Test
  void datesStringsAndNaN() {
    PrimitiveType dp = Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("d");
    ParquetColumn d = column(dp, DataType.DATE, ParquetColumn.Decoding.INT32);
    Statistics<?> ds = stats(dp, le32(100), le32(200), 0);
    assertFalse(may(d, ds, 5, Op.GE, LocalDate.ofEpochDay(201)));
    assertTrue(may(d, ds, 5, Op.GE, LocalDate.ofEpochDay(200)));

    PrimitiveType sp = Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s");
    ParquetColumn s = column(sp, DataType.VARCHAR, ParquetColumn.Decoding.STRING);
    Statistics<?> ss = stats(sp, "apple".getBytes(StandardCharsets.UTF_8), "émile".getBytes(StandardCharsets.UTF_8), 0);
    assertTrue(may(s, ss, 5, Op.EQ, "zebra"), "é sorts after z in UTF-8 byte order");
    assertFalse(may(s, ss, 5, Op.LT, "apple"));
    assertFalse(may(s, ss, 5, Op.IN, "aardvark", "ф"));

    PrimitiveType fp = Types.optional(PrimitiveTypeName.DOUBLE).named("f");
    ParquetColumn f = column(fp, DataType.DOUBLE, ParquetColumn.Decoding.DOUBLE);
    Statistics<?> nan = stats(fp, le64(Double.doubleToLongBits(Double.NaN)), le64(Double.doubleToLongBits(1.0)), 0);
    assertTrue(may(f, nan, 5, Op.GT, 5.0));
    Statistics<?> zero = stats(fp, le64(Double.doubleToLongBits(-0.0)), le64(Double.doubleToLongBits(0.0)), 0);
    assertTrue(may(f, zero, 5, Op.EQ, 0.0));
    assertFalse(may(f, zero, 5, Op.GT, 0L));
  }

  @Test
  void notEqualPrunesOnlyConstantGroups() {
    PrimitiveType p = Types.optional(PrimitiveTypeName.INT64).named("x");
    ParquetColumn c = column(p, DataType.BIGINT, ParquetColumn.Decoding.INT64);
    assertFalse(may(c, stats(p, le64(7), le64(7), 0), 4, Op.NE, 7L));
    assertFalse(may(c, stats(p, le64(7), le64(7), 1), 4, Op.NE, 7L), "NULLs never match <>");
    assertTrue(may(c, stats(p, le64(7), le64(8), 0), 4, Op.NE, 7L));
  }


  @Test
  void likeWithALiteralPrefixPrunesOnTheRangeOfStringsWithThatPrefix() {
    PrimitiveType sp = Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("s");
    ParquetColumn c = column(sp, DataType.VARCHAR, ParquetColumn.Decoding.STRING);
    Statistics<?> s = stats(sp, "MEDIUM".getBytes(StandardCharsets.UTF_8), "PROMO ZINC".getBytes(StandardCharsets.UTF_8), 0);
    assertTrue(may(c, s, 10, Op.LIKE, "PROMO%"));
    assertTrue(may(c, s, 10, Op.LIKE, "PROMO ZINC"));
    assertTrue(may(c, s, 10, Op.LIKE, "N%"));
    // every string starting with "MEDIUM" or "MED" is at least "MED": "MEDIUM" is a possible min
    assertTrue(may(c, s, 10, Op.LIKE, "MED%"));
    assertFalse(may(c, s, 10, Op.LIKE, "STANDARD%"), "above max");
    assertFalse(may(c, s, 10, Op.LIKE, "PROMO ZZ%"), "above max, sharing a prefix with it");
    assertFalse(may(c, s, 10, Op.LIKE, "ECONOMY%"), "below min");
    assertFalse(may(c, s, 10, Op.LIKE, "MEA%"), "below min, sharing a prefix with it");
    // no literal prefix, or a wildcard first: cannot prune on the range
    assertTrue(may(c, s, 10, Op.LIKE, "%BRASS"));
    assertTrue(may(c, s, 10, Op.LIKE, "_ROMO%"));
    assertTrue(may(c, s, 10, Op.NOT_LIKE, "STANDARD%"));
    // all NULL: LIKE is never true
    assertFalse(may(c, stats(sp, null, null, 10), 10, Op.LIKE, "%"));
  }
}
