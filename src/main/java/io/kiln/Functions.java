package io.kiln;

/** Building blocks of DataFrame expressions: {@code import static io.kiln.Functions.*}. */
public final class Functions {
  private Functions() {}

  public static Column col(String name) {
    return Column.named(name);
  }

  /** A constant: numbers (doubles become exact decimals, as SQL literals do), strings, booleans, LocalDate. */
  public static Column lit(Object value) {
    return Column.literal(value);
  }

  /**
   * A call of a user's scalar function (the same object {@link Kiln#registerFunction} takes; a
   * DataFrame needs no registration to use it).
   */
  public static Column call(io.kiln.catalog.ScalarUdf function, Column... args) {
    return Column.udf(function, args);
  }

  /** A call of a user's aggregate function, for {@code agg(...)}. */
  public static Column aggregate(io.kiln.catalog.AggregateUdf function, Column arg) {
    return Column.udfAggregate(function, arg);
  }

  public static Column sum(Column c) {
    return Column.aggregate("sum", c);
  }

  public static Column avg(Column c) {
    return Column.aggregate("avg", c);
  }

  public static Column min(Column c) {
    return Column.aggregate("min", c);
  }

  public static Column max(Column c) {
    return Column.aggregate("max", c);
  }

  public static Column count(Column c) {
    return Column.aggregate("count", c);
  }

  public static Column countStar() {
    return Column.aggregate("count", null);
  }

  public static Column stddev(Column c) {
    return Column.aggregate("stddev", c);
  }
}
