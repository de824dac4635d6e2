package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;
import java.util.Objects;

/** An aggregate function call; only found in an {@link Aggregate} node. */
public final class AggregateCall {
  public enum Fn { COUNT_STAR, COUNT, SUM, AVG, MIN, MAX, STDDEV_SAMP, STDDEV_POP, VAR_SAMP, VAR_POP }

  private final Fn fn;
  private final Expr arg;
  private final boolean distinct;
  private final Expr filter;
  private final DataType type;

  public AggregateCall(Fn fn, Expr arg, boolean distinct, Expr filter, DataType type) {
    this.fn = fn;
    this.arg = arg;
    this.distinct = distinct;
    this.filter = filter;
    this.type = type;
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

  public AggregateCall withExprs(Expr newArg, Expr newFilter) {
    return new AggregateCall(fn, newArg, distinct, newFilter, type);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AggregateCall)) {
      return false;
    }
    AggregateCall a = (AggregateCall) o;
    return fn == a.fn && distinct == a.distinct && Objects.equals(arg, a.arg) && Objects.equals(filter, a.filter)
        && type.equals(a.type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fn, arg, distinct, filter);
  }

  @Override
  public String toString() {
    String name = fn == Fn.COUNT_STAR ? "count(*)" : fn.name().toLowerCase() + "(" + (distinct ? "DISTINCT " : "") + arg + ")";
    return filter == null ? name : name + " FILTER (WHERE " + filter + ")";
  }

  public List<Expr> exprs() {
    if (arg == null && filter == null) {
      return List.of();
    }
    if (filter == null) {
      return List.of(arg);
    }
    return arg == null ? List.of(filter) : List.of(arg, filter);
  }
}
