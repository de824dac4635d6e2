package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.AggregateCall.Fn;
import io.kiln.logical.AggregateCall.ValueOrder;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.List;

/** Resolves an aggregate function name and argument to a typed call (result types as in DuckDB, exact for decimals). */
public final class AggregateCalls {
  private AggregateCalls() {}

  public static AggregateCall make(String name, Expr arg, boolean distinct, Expr filter) {
    return make(name, arg == null ? List.of() : List.of(arg), distinct, filter, ValueOrder.AS_READ);
  }

  /**
   * A call with its bound arguments (none for count(*)); a second argument must be a constant. An
   * ORDER BY inside the call is only string_agg's, and only on its argument.
   */
  public static AggregateCall make(String name, List<Expr> args, boolean distinct, Expr filter, ValueOrder order) {
    if (order != ValueOrder.AS_READ && !name.equals("string_agg") && !name.equals("listagg")) {
      throw KilnException.unsupported("ORDER BY inside " + name + " (only string_agg takes one)");
    }
    switch (name) {
      case "quantile_cont": case "quantile_disc": case "quantile":
        return quantile(name, args, distinct, filter);
      case "string_agg": case "listagg":
        return stringAgg(name, args, distinct, filter, order);
      case "arg_min": case "argmin": case "min_by":
        return argMinMax(Fn.ARG_MIN, name, args, filter);
      case "arg_max": case "argmax": case "max_by":
        return argMinMax(Fn.ARG_MAX, name, args, filter);
      default:
        break;
    }
    if (args.size() > 1) {
      throw KilnException.binding(name + " takes one argument, got " + args.size());
    }
    Expr arg = args.isEmpty() ? null : args.get(0);
    if (arg == null) {
      if (!name.equals("count")) {
        throw KilnException.binding(name + "(*) is not allowed; only count(*)");
      }
      return new AggregateCall(Fn.COUNT_STAR, null, false, filter, DataType.BIGINT);
    }
    DataType t = arg.type();
    switch (name) {
      case "count":
        return new AggregateCall(Fn.COUNT, arg, distinct, filter, DataType.BIGINT);
      case "min":
        return new AggregateCall(Fn.MIN, arg, distinct, filter, nonNull(t));
      case "max":
        return new AggregateCall(Fn.MAX, arg, distinct, filter, nonNull(t));
      case "sum":
        numeric(name, t);
        if (t.id() == DataType.Id.DECIMAL) {
          return new AggregateCall(Fn.SUM, arg, distinct, filter, DataType.decimal(DataType.MAX_PRECISION, t.scale()));
        }
        return new AggregateCall(Fn.SUM, arg, distinct, filter, t.isInteger() || t.id() == DataType.Id.NULL
            ? DataType.BIGINT : DataType.DOUBLE);
      case "avg":
      case "mean":
        numeric(name, t);
        if (t.id() == DataType.Id.DECIMAL) {
          return new AggregateCall(Fn.AVG, arg, distinct, filter,
              DataType.decimal(DataType.MAX_PRECISION, Math.max(6, t.scale())));
        }
        return new AggregateCall(Fn.AVG, Calls.cast(arg, DataType.DOUBLE), distinct, filter, DataType.DOUBLE);
      case "stddev":
      case "stddev_samp":
        return statistic(Fn.STDDEV_SAMP, name, arg, distinct, filter);
      case "stddev_pop":
        return statistic(Fn.STDDEV_POP, name, arg, distinct, filter);
      case "variance":
      case "var_samp":
        return statistic(Fn.VAR_SAMP, name, arg, distinct, filter);
      case "var_pop":
        return statistic(Fn.VAR_POP, name, arg, distinct, filter);
      case "bool_and":
      case "bool_or":
        if (t.id() != DataType.Id.BOOLEAN && t.id() != DataType.Id.NULL) {
          throw KilnException.binding(name + " needs a BOOLEAN argument, got " + t);
        }
        return new AggregateCall(name.equals("bool_and") ? Fn.BOOL_AND : Fn.BOOL_OR, Calls.cast(arg, DataType.BOOLEAN),
            distinct, filter, DataType.BOOLEAN);
      case "median":
        return t.id() == DataType.Id.VARCHAR
            ? quantileCall(Fn.QUANTILE_DISC, arg, 0.5, distinct, filter)
            : quantileCall(Fn.QUANTILE_CONT, arg, 0.5, distinct, filter);
      case "approx_count_distinct":
        return new AggregateCall(Fn.APPROX_COUNT_DISTINCT, arg.type().id() == DataType.Id.NULL
            ? Calls.cast(arg, DataType.INTEGER) : arg, false, filter, DataType.BIGINT);
      default:
        throw KilnException.unsupported("aggregate " + name);
    }
  }

  /** quantile_cont(x, fraction), quantile_disc(x, fraction); quantile is quantile_disc, as in DuckDB. */
  private static AggregateCall quantile(String name, List<Expr> args, boolean distinct, Expr filter) {
    if (args.size() != 2) {
      throw KilnException.binding(name + " takes two arguments (a value and a fraction), got " + args.size());
    }
    Object fraction = constant(name, args.get(1), "the fraction");
    if (!(fraction instanceof Number)) {
      throw KilnException.binding(name + "'s fraction must be a number between 0 and 1, got " + args.get(1));
    }
    double q = ((Number) fraction).doubleValue();
    if (!(q >= 0 && q <= 1)) {
      throw KilnException.binding(name + "'s fraction must be between 0 and 1, got " + fraction);
    }
    return quantileCall(name.equals("quantile_cont") ? Fn.QUANTILE_CONT : Fn.QUANTILE_DISC, args.get(0), q,
        distinct, filter);
  }

  /**
   * Types as DuckDB's: quantile_cont of integers and floats is DOUBLE, of a decimal that decimal,
   * of dates and timestamps a TIMESTAMP; quantile_disc keeps its argument's type.
   */
  private static AggregateCall quantileCall(Fn fn, Expr arg, double q, boolean distinct, Expr filter) {
    DataType t = nonNull(arg.type());
    if (t.id() == DataType.Id.BOOLEAN) {
      throw KilnException.binding("quantiles of BOOLEAN values are not supported");
    }
    Expr value = arg.type().id() == DataType.Id.NULL ? Calls.cast(arg, t) : arg;
    DataType result = t;
    if (fn == Fn.QUANTILE_CONT) {
      if (t.id() == DataType.Id.VARCHAR) {
        throw KilnException.binding("quantile_cont needs a numeric or temporal argument, got VARCHAR"
            + " (quantile_disc takes any)");
      }
      result = t.isInteger() || t.id() == DataType.Id.REAL || t.id() == DataType.Id.DOUBLE ? DataType.DOUBLE
          : t.isTemporal() ? DataType.TIMESTAMP : t;
      value = Calls.cast(value, result);
    }
    return new AggregateCall(fn, value, distinct, filter, result, new Literal(q, DataType.DOUBLE), ValueOrder.AS_READ);
  }

  /** string_agg(x [, separator] [ORDER BY x [DESC]]): x as text, separator ',' by default. */
  private static AggregateCall stringAgg(String name, List<Expr> args, boolean distinct, Expr filter,
      ValueOrder order) {
    if (args.isEmpty() || args.size() > 2) {
      throw KilnException.binding(name + " takes a value and an optional separator, got " + args.size()
          + " arguments");
    }
    Object separator = args.size() == 2 ? constant(name, args.get(1), "the separator") : ",";
    if (separator == null) {
      separator = ""; // DuckDB: a NULL separator joins with nothing
    }
    // Numbers, dates and timestamps are kept as they are, so that ORDER BY sorts them as values;
    // each becomes text when the groups are joined.
    Expr value = args.get(0);
    DataType t = value.type();
    if (t.kind() != PhysicalKind.LONG && t.kind() != PhysicalKind.DOUBLE) {
      value = Calls.cast(value, DataType.VARCHAR);
    }
    return new AggregateCall(Fn.STRING_AGG, value, distinct, filter, DataType.VARCHAR,
        Literal.of(separator.toString()), order);
  }

  /**
   * arg_min(x, by), arg_max(x, by): x's value on the row of the smallest or largest {@code by}, of
   * x's type. DISTINCT changes nothing (the distinct pairs have the same extreme), so it is dropped.
   */
  private static AggregateCall argMinMax(Fn fn, String name, List<Expr> args, Expr filter) {
    if (args.size() != 2) {
      throw KilnException.binding(name + " takes two arguments (the value to return and the value to compare), got "
          + args.size() + (args.size() == 3 ? " (the form returning a list of n values is not supported)" : ""));
    }
    Expr arg = args.get(0);
    Expr by = args.get(1);
    DataType t = nonNull(arg.type());
    return new AggregateCall(fn, arg.type().id() == DataType.Id.NULL ? Calls.cast(arg, t) : arg,
        by.type().id() == DataType.Id.NULL ? Calls.cast(by, DataType.INTEGER) : by, false, filter, t, null,
        ValueOrder.AS_READ);
  }

  /** A constant argument's value as Java sees it (BigDecimal, String, ...); an error if it is not constant. */
  private static Object constant(String name, Expr e, String what) {
    if (!(e instanceof Literal)) {
      throw KilnException.binding(name + " needs a constant as " + what + ", got " + e);
    }
    return ((Literal) e).javaValue();
  }

  private static AggregateCall statistic(Fn fn, String name, Expr arg, boolean distinct, Expr filter) {
    numeric(name, arg.type());
    return new AggregateCall(fn, Calls.cast(arg, DataType.DOUBLE), distinct, filter, DataType.DOUBLE);
  }

  private static DataType nonNull(DataType t) {
    return t.id() == DataType.Id.NULL ? DataType.INTEGER : t;
  }

  private static void numeric(String name, DataType t) {
    if (!t.isNumeric() && t.id() != DataType.Id.NULL) {
      throw KilnException.binding(name + " needs a numeric argument, got " + t);
    }
  }
}
