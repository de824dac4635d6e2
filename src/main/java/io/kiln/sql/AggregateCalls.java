package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.AggregateCall.Fn;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.types.DataType;

/** Resolves an aggregate function name and argument to a typed call (result types as in DuckDB, exact for decimals). */
public final class AggregateCalls {
  private AggregateCalls() {}

  public static AggregateCall make(String name, Expr arg, boolean distinct, Expr filter) {
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
      default:
        throw KilnException.unsupported("aggregate " + name);
    }
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
