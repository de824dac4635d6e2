package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.LikePattern;
import io.kiln.types.DataType;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;

/**
 * Decides from a row group's min/max/null-count statistics whether a predicate can hold for any of
 * its rows. It answers "maybe" whenever statistics are missing or a value cannot be compared
 * exactly, so pruning never drops a matching row.
 */
final class RowGroupPruner {
  private RowGroupPruner() {}

  /** False only when some predicate is provably false for every row of the row group. */
  static boolean mightMatch(BlockMetaData block, List<ParquetColumn> columns, List<ColumnPredicate> filters) {
    for (ColumnPredicate p : filters) {
      if (p.column() < 0 || p.column() >= columns.size()) {
        continue;
      }
      ParquetColumn c = columns.get(p.column());
      ColumnChunkMetaData chunk = find(block, c);
      if (chunk != null && !mightMatch(p, c, chunk.getStatistics(), block.getRowCount())) {
        return false;
      }
    }
    return true;
  }

  /** The chunk of a column in a row group, or null if the row group lacks it. */
  static ColumnChunkMetaData find(BlockMetaData block, ParquetColumn c) {
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (Arrays.equals(chunk.getPath().toArray(), c.descriptor.getPath())) {
        return chunk;
      }
    }
    return null;
  }

  static boolean mightMatch(ColumnPredicate p, ParquetColumn c, Statistics<?> stats, long rows) {
    if (stats == null || stats.isEmpty()) {
      return true;
    }
    boolean nullsKnown = stats.isNumNullsSet();
    long nulls = stats.getNumNulls();
    boolean allNull = nullsKnown && nulls == rows;
    switch (p.op()) {
      case IS_NULL:
        return !(nullsKnown && nulls == 0);
      case IS_NOT_NULL:
        return !allNull;
      default:
        break;
    }
    if (allNull) {
      return false; // comparisons with NULL are never true
    }
    if (!stats.hasNonNullValue()) {
      return true;
    }
    Comparable<Object> min = domain(c, stats.genericGetMin());
    Comparable<Object> max = domain(c, stats.genericGetMax());
    if (min == null || max == null) {
      return true;
    }
    switch (p.op()) {
      case IN:
        for (Object v : p.values()) {
          if (v == null || inRange(c, v, min, max)) {
            return true;
          }
        }
        return false;
      case EQ:
        return inRange(c, p.value(), min, max);
      case NE: {
        Object v = value(c, p.value());
        // NULLs never satisfy <>, so a group whose non-null values all equal v has no match.
        return v == null || min.compareTo(v) != 0 || max.compareTo(v) != 0;
      }
      case LT: {
        Object v = value(c, p.value());
        return v == null || min.compareTo(v) < 0;
      }
      case LE: {
        Object v = value(c, p.value());
        return v == null || min.compareTo(v) <= 0;
      }
      case GT: {
        Object v = value(c, p.value());
        return v == null || max.compareTo(v) > 0;
      }
      case GE: {
        Object v = value(c, p.value());
        return v == null || max.compareTo(v) >= 0;
      }
      case LIKE:
        return likeMightMatch(c, p.value(), min, max);
      default:
        return true;
    }
  }

  /**
   * A LIKE pattern with a literal prefix (LIKE 'PROMO%') matches only strings in [prefix, the
   * prefix's successor): none lie in [min, max] when max is below the prefix, or when min is past
   * the prefix without starting with it (then min is past every string that does).
   */
  private static boolean likeMightMatch(ParquetColumn c, Object pattern, Comparable<Object> min,
      Comparable<Object> max) {
    if (!(pattern instanceof String)) {
      return true;
    }
    String prefix = new LikePattern((String) pattern).prefix();
    Object v = prefix.isEmpty() ? null : value(c, prefix);
    Object low = min;
    if (!(v instanceof Bytes) || !(low instanceof Bytes)) {
      return true;
    }
    byte[] p = ((Bytes) v).b;
    byte[] lowest = ((Bytes) low).b;
    boolean minStartsWithPrefix = lowest.length >= p.length && Arrays.equals(lowest, 0, p.length, p, 0, p.length);
    return max.compareTo(v) >= 0 && (min.compareTo(v) <= 0 || minStartsWithPrefix);
  }

  private static boolean inRange(ParquetColumn c, Object raw, Comparable<Object> min, Comparable<Object> max) {
    Object v = value(c, raw);
    return v == null || (min.compareTo(v) <= 0 && max.compareTo(v) >= 0);
  }

  /**
   * A statistics value in the comparison domain of the column: BigDecimal for integers and
   * decimals, Double for floats, Long for dates (days) and timestamps (micros), Boolean, and
   * {@link Bytes} for strings. Null when it cannot be compared (e.g. INT96, NaN).
   */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> domain(ParquetColumn c, Object stat) {
    Object out;
    switch (c.decoding) {
      case INT32:
      case INT64:
        out = c.type.id() == DataType.Id.DATE
            ? (Object) ((Number) stat).longValue()
            : BigDecimal.valueOf(((Number) stat).longValue(), c.type.id() == DataType.Id.DECIMAL ? c.type.scale() : 0);
        break;
      case UINT32:
        out = BigDecimal.valueOf(((Integer) stat) & 0xFFFF_FFFFL);
        break;
      case UINT64:
        out = new BigDecimal(new BigInteger(Long.toUnsignedString((Long) stat)));
        break;
      case DECIMAL_BYTES:
        out = new BigDecimal(new BigInteger(((Binary) stat).getBytes()), c.type.scale());
        break;
      case TIMESTAMP_MICROS:
        out = stat;
        break;
      case TIMESTAMP_MILLIS:
        out = ((Long) stat) * 1000L;
        break;
      case TIMESTAMP_NANOS:
        out = Math.floorDiv((Long) stat, 1000L);
        break;
      case FLOAT:
      case DOUBLE: {
        double d = ((Number) stat).doubleValue();
        // NaN has no place in the order, and -0.0/+0.0 compare equal in SQL.
        out = Double.isNaN(d) ? null : (Object) (d == 0.0 ? 0.0 : d);
        break;
      }
      case BOOLEAN:
        out = stat;
        break;
      case STRING:
        out = new Bytes(((Binary) stat).getBytes());
        break;
      default:
        out = null;
    }
    return (Comparable<Object>) out;
  }

  /** A predicate value in the column's comparison domain, or null when not comparable exactly. */
  private static Object value(ParquetColumn c, Object v) {
    if (v == null) {
      return null;
    }
    switch (c.decoding) {
      case INT32:
      case INT64:
      case UINT32:
      case UINT64:
      case DECIMAL_BYTES:
        if (c.type.id() == DataType.Id.DATE) {
          return v instanceof LocalDate ? (Object) ((LocalDate) v).toEpochDay() : null;
        }
        return exact(v);
      case TIMESTAMP_MICROS:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_NANOS:
        if (v instanceof LocalDateTime) {
          return Timestamps.toMicros((LocalDateTime) v);
        }
        return v instanceof LocalDate ? (Object) (((LocalDate) v).toEpochDay() * 86_400_000_000L) : null;
      case FLOAT:
      case DOUBLE: {
        if (!(v instanceof Number)) {
          return null;
        }
        double d = ((Number) v).doubleValue();
        return Double.isNaN(d) ? null : (Object) (d == 0.0 ? 0.0 : d);
      }
      case BOOLEAN:
        return v instanceof Boolean ? v : null;
      case STRING:
        return v instanceof String ? new Bytes(((String) v).getBytes(StandardCharsets.UTF_8)) : null;
      default:
        return null;
    }
  }

  private static BigDecimal exact(Object v) {
    if (v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
    return null;
  }

  /** Bytes ordered unsigned-lexicographically, Parquet's order for UTF-8 strings. */
  static final class Bytes implements Comparable<Bytes> {
    final byte[] b;

    Bytes(byte[] b) {
      this.b = b;
    }

    @Override
    public int compareTo(Bytes o) {
      return Arrays.compareUnsigned(b, o.b);
    }
  }

}
