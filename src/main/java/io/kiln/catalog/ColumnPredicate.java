package io.kiln.catalog;

import java.util.List;

/**
 * A filter a provider can use to skip data: {@code column op value(s)}. The column is an index in
 * the provider's schema; values are Java values as {@link io.kiln.data.Vectors#get} returns them
 * (Long for integers, BigDecimal, LocalDate, LocalDateTime, String, Double, Boolean).
 */
public final class ColumnPredicate {
  /** LIKE and NOT_LIKE take the pattern (a String with % and _, no escape) as their one value. */
  public enum Op { EQ, NE, LT, LE, GT, GE, IS_NULL, IS_NOT_NULL, IN, LIKE, NOT_LIKE }

  private final int column;
  private final Op op;
  private final List<Object> values;

  public ColumnPredicate(int column, Op op, List<Object> values) {
    this.column = column;
    this.op = op;
    this.values = values;
  }

  public int column() {
    return column;
  }

  public Op op() {
    return op;
  }

  /** One value for comparisons, the list for IN, none for the null tests. */
  public List<Object> values() {
    return values;
  }

  public Object value() {
    return values.get(0);
  }

  /**
   * A numeric predicate value as an exact decimal (integers and BigDecimal), or null for anything
   * else, such as a DOUBLE literal, which the filter above compares in floating point.
   */
  public static java.math.BigDecimal exactNumber(Object v) {
    if (v instanceof java.math.BigDecimal) {
      return (java.math.BigDecimal) v;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return java.math.BigDecimal.valueOf(((Number) v).longValue());
    }
    return null;
  }

  @Override
  public String toString() {
    return "#" + column + " " + op + " " + values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnPredicate && ((ColumnPredicate) o).column == column && ((ColumnPredicate) o).op == op
        && ((ColumnPredicate) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(column, op, values);
  }
}
