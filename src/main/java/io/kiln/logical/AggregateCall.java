package io.kiln.logical;

import io.kiln.catalog.AggregateUdf;
import io.kiln.types.DataType;
import java.util.List;
import java.util.Objects;

/** An aggregate function call; only found in an {@link Aggregate} node. */
public final class AggregateCall {
  public enum Fn {
    COUNT_STAR, COUNT, SUM, AVG, MIN, MAX, STDDEV_SAMP, STDDEV_POP, VAR_SAMP, VAR_POP,
    BOOL_AND, BOOL_OR,
    /** The interpolated quantile (median is its 0.5); {@link #param} is the fraction. */
    QUANTILE_CONT,
    /** The quantile that is one of the values; {@link #param} is the fraction. */
    QUANTILE_DISC,
    /** The values as text joined by {@link #param}, the separator, in {@link #order}. */
    STRING_AGG,
    /** count(DISTINCT) estimated by a HyperLogLog sketch. */
    APPROX_COUNT_DISTINCT,
    /** A user's aggregate function, {@link #udf}. */
    UDF,
    /** The argument's value on the row whose {@link #by} is smallest (rows with either NULL are skipped). */
    ARG_MIN,
    /** The argument's value on the row whose {@link #by} is largest (rows with either NULL are skipped). */
    ARG_MAX
  }

  /** The order in which an order-sensitive aggregate (string_agg) takes its values. */
  public enum ValueOrder { AS_READ, ASCENDING, DESCENDING }

  private final Fn fn;
  private final Expr arg;
  private final boolean distinct;
  private final Expr filter;
  private final DataType type;
  private final Literal param;
  private final ValueOrder order;
  private final AggregateUdf udf;
  private final Expr by;

  public AggregateCall(Fn fn, Expr arg, boolean distinct, Expr filter, DataType type) {
    this(fn, arg, distinct, filter, type, null, ValueOrder.AS_READ);
  }

  public AggregateCall(Fn fn, Expr arg, boolean distinct, Expr filter, DataType type, Literal param,
      ValueOrder order) {
    this(fn, arg, null, distinct, filter, type, param, order, null);
    if (fn == Fn.UDF) {
      throw new IllegalArgumentException("a user aggregate's call is made by AggregateCall.udf");
    }
  }

  /** A call with a second, per-row argument {@code by} (arg_min and arg_max order rows by it). */
  public AggregateCall(Fn fn, Expr arg, Expr by, boolean distinct, Expr filter, DataType type, Literal param,
      ValueOrder order) {
    this(fn, arg, by, distinct, filter, type, param, order, null);
    if (fn == Fn.UDF) {
      throw new IllegalArgumentException("a user aggregate's call is made by AggregateCall.udf");
    }
  }

  private AggregateCall(Fn fn, Expr arg, Expr by, boolean distinct, Expr filter, DataType type, Literal param,
      ValueOrder order, AggregateUdf udf) {
    if ((by != null) != (fn == Fn.ARG_MIN || fn == Fn.ARG_MAX)) {
      throw new IllegalArgumentException(fn + (by == null ? " needs" : " takes no") + " second argument");
    }
    this.udf = udf;
    this.fn = fn;
    this.arg = arg;
    this.by = by;
    this.distinct = distinct;
    this.filter = filter;
    this.type = type;
    this.param = param;
    this.order = Objects.requireNonNull(order);
  }

  /**
   * A call of the user's aggregate {@code f} on {@code args} (one, cast to its declared type as a
   * scalar user function's are), with an optional FILTER.
   */
  public static AggregateCall udf(AggregateUdf f, List<Expr> args, Expr filter) {
    Expr arg = UdfCall.convertArguments(f.signature(), List.of(f.argType()), args).get(0);
    return new AggregateCall(Fn.UDF, arg, null, false, filter, f.returnType(), null, ValueOrder.AS_READ, f);
  }

  /** The user's function of a {@link Fn#UDF} call; null for the built-in ones. */
  public AggregateUdf udf() {
    return udf;
  }

  public Fn fn() {
    return fn;
  }

  /** The argument; null for COUNT(*). */
  public Expr arg() {
    return arg;
  }

  public boolean distinct() {
    return distinct;
  }

  /** FILTER (WHERE ...) condition, or null. */
  public Expr filter() {
    return filter;
  }

  public DataType type() {
    return type;
  }

  /** The constant second argument (a quantile's fraction, string_agg's separator), or null. */
  public Literal param() {
    return param;
  }

  /** The value arg_min/arg_max compare rows by; null for the other functions. */
  public Expr by() {
    return by;
  }

  /** ORDER BY the argument inside the call (string_agg). */
  public ValueOrder order() {
    return order;
  }

  /** count(*), count and approx_count_distinct give 0 over no rows; the others give NULL. */
  public boolean zeroWithoutRows() {
    return fn == Fn.COUNT || fn == Fn.COUNT_STAR || fn == Fn.APPROX_COUNT_DISTINCT;
  }

  public AggregateCall withExprs(Expr newArg, Expr newBy, Expr newFilter) {
    return new AggregateCall(fn, newArg, newBy, distinct, newFilter, type, param, order, udf);
  }

  /** The same call over distinct values or not (DISTINCT states fold their sets through the plain call). */
  public AggregateCall withDistinct(boolean d) {
    return new AggregateCall(fn, arg, by, d, filter, type, param, order, udf);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AggregateCall)) {
      return false;
    }
    AggregateCall a = (AggregateCall) o;
    return fn == a.fn && distinct == a.distinct && Objects.equals(arg, a.arg) && Objects.equals(by, a.by)
        && Objects.equals(filter, a.filter) && type.equals(a.type) && Objects.equals(param, a.param) && order == a.order
        && Objects.equals(udfSignature(), a.udfSignature());
  }

  @Override
  public int hashCode() {
    return Objects.hash(fn, arg, by, distinct, filter, param, order, udfSignature());
  }

  /** User aggregates compare by name and signature, not code, as plans read elsewhere do. */
  private String udfSignature() {
    return udf == null ? null : udf.signature();
  }

  @Override
  public String toString() {
    String name = fn == Fn.COUNT_STAR ? "count(*)" : (udf != null ? udf.name() : fn.name().toLowerCase()) + "(" + (distinct ? "DISTINCT " : "") + arg
        + (by == null ? "" : ", " + by) + (param == null ? "" : ", " + param)
        + (order == ValueOrder.AS_READ ? "" : " ORDER BY " + arg + (order == ValueOrder.DESCENDING ? " DESC" : "")) + ")";
    return filter == null ? name : name + " FILTER (WHERE " + filter + ")";
  }

  /** The per-row expressions: the argument, {@link #by} and the filter, those there are. */
  public List<Expr> exprs() {
    List<Expr> all = new java.util.ArrayList<>(3);
    for (Expr e : new Expr[] {arg, by, filter}) {
      if (e != null) {
        all.add(e);
      }
    }
    return all;
  }
}
