package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowCall.Fn;
import io.kiln.logical.WindowExpr;
import io.kiln.logical.WindowFrame;
import io.kiln.logical.WindowSpec;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.WindowElement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;

/**
 * Binds {@code f(...) OVER (...)} into a {@link WindowExpr}: the function and its typed arguments,
 * the PARTITION BY and ORDER BY of the window (its own or a named one from the WINDOW clause), and
 * its frame ({@link FrameBinder}).
 */
final class WindowBinder {
  private final Binder binder;
  private final Map<String, WindowDefinition> named = new HashMap<>();
  private final FrameBinder frames;

  WindowBinder(Binder binder, List<WindowDefinition> definitions) {
    this.binder = binder;
    this.frames = new FrameBinder(binder);
    if (definitions != null) {
      for (WindowDefinition d : definitions) {
        if (named.put(Identifiers.normalize(d.getWindowName()), d) != null) {
          throw KilnException.binding("window " + d.getWindowName() + " is defined twice"
              + binder.positions.of(d.getWindowName()));
        }
      }
    }
  }

  /** {@code args} binds the call's arguments and window expressions (aggregates allowed, windows not). */
  Expr bind(AnalyticExpression a, ExprBinder args) {
    String name = a.getName().toLowerCase(Locale.ROOT);
    if (a.getType() != AnalyticType.OVER) {
      throw KilnException.unsupported(a.getType() + " on " + name);
    }
    if (a.isDistinct() || a.isUnique()) {
      throw KilnException.unsupported("DISTINCT in a window function: " + a);
    }
    if (a.getFilterExpression() != null) {
      throw KilnException.unsupported("FILTER in a window function: " + a);
    }
    List<Expression> partition = new ArrayList<>();
    List<OrderByElement> order = new ArrayList<>();
    WindowElement frame = window(a, partition, order);
    List<Expr> partitionBy = new ArrayList<>();
    for (Expression p : partition) {
      partitionBy.add(args.bind(p));
    }
    List<SortKey> orderBy = new ArrayList<>();
    for (OrderByElement o : order) {
      orderBy.add(Binder.sortKey(args.bind(o.getExpression()), o));
    }
    WindowFrame boundFrame = frames.bind(frame, orderBy, name);
    WindowCall call = call(name, a, args, boundFrame);
    return new WindowExpr(call, new WindowSpec(partitionBy, orderBy));
  }

  /** The window's PARTITION BY and ORDER BY (into the lists) and frame, following a named window. */
  private WindowElement window(AnalyticExpression a, List<Expression> partition, List<OrderByElement> order) {
    if (a.getWindowName() != null) {
      WindowDefinition d = named.get(Identifiers.normalize(a.getWindowName()));
      if (d == null) {
        throw KilnException.binding("unknown window " + a.getWindowName() + binder.positions.of(a.getWindowName())
            + "; define it with WINDOW " + a.getWindowName() + " AS (...)");
      }
      add(partition, d.getPartitionExpressionList());
      if (d.getOrderByElements() != null) {
        order.addAll(d.getOrderByElements());
      }
      return d.getWindowElement();
    }
    add(partition, a.getPartitionExpressionList());
    if (a.getOrderByElements() != null) {
      order.addAll(a.getOrderByElements());
    }
    return a.getWindowElement();
  }

  private static void add(List<Expression> into, List<?> list) {
    if (list != null) {
      for (Object o : list) {
        into.add((Expression) o);
      }
    }
  }

  // ---------------------------------------------------------------- functions

  private WindowCall call(String name, AnalyticExpression a, ExprBinder args, WindowFrame frame) {
    boolean star = a.isAllColumns() || a.getExpression() instanceof AllColumns;
    Expression first = star ? null : a.getExpression();
    boolean ignoreNulls = a.isIgnoreNulls() || a.isIgnoreNullsOutside();
    if (ignoreNulls && !List.of("first_value", "last_value", "nth_value", "lag", "lead").contains(name)) {
      throw KilnException.binding("IGNORE NULLS is only for first_value, last_value, nth_value, lag and lead, not "
          + name + binder.positions.of(name));
    }
    switch (name) {
      case "row_number":
        return noArgs(Fn.ROW_NUMBER, name, a, DataType.BIGINT, frame);
      case "rank":
        return noArgs(Fn.RANK, name, a, DataType.BIGINT, frame);
      case "dense_rank":
        return noArgs(Fn.DENSE_RANK, name, a, DataType.BIGINT, frame);
      case "percent_rank":
        return noArgs(Fn.PERCENT_RANK, name, a, DataType.DOUBLE, frame);
      case "cume_dist":
        return noArgs(Fn.CUME_DIST, name, a, DataType.DOUBLE, frame);
      case "ntile": {
        long buckets = constant(first, name, "its number of buckets");
        if (buckets < 1) {
          throw KilnException.binding("ntile needs a positive number of buckets, not " + buckets
              + binder.positions.of(name));
        }
        return new WindowCall(Fn.NTILE, List.of(Literal.ofLong(buckets)), frame, false, DataType.BIGINT);
      }
      case "lag":
      case "lead":
        return lagLead(name, a, args, frame, ignoreNulls);
      case "first_value":
      case "last_value": {
        Expr arg = args.bind(required(first, name));
        return new WindowCall(name.equals("first_value") ? Fn.FIRST_VALUE : Fn.LAST_VALUE, List.of(arg), frame,
            ignoreNulls, valueType(arg));
      }
      case "nth_value": {
        Expr arg = args.bind(required(first, name));
        long n = constant(a.getOffset(), name, "the row number in the frame");
        if (n < 1) {
          throw KilnException.binding("nth_value counts rows from 1, not " + n + binder.positions.of(name));
        }
        return new WindowCall(Fn.NTH_VALUE, List.of(arg, Literal.ofLong(n)), frame, ignoreNulls, valueType(arg));
      }
      default:
        return aggregate(name, first, a, args, frame);
    }
  }

  private WindowCall noArgs(Fn fn, String name, AnalyticExpression a, DataType type, WindowFrame frame) {
    if (a.getExpression() != null || a.isAllColumns()) {
      throw KilnException.binding(name + " takes no arguments" + binder.positions.of(name));
    }
    return new WindowCall(fn, List.of(), frame, false, type);
  }

  private WindowCall lagLead(String name, AnalyticExpression a, ExprBinder args, WindowFrame frame,
      boolean ignoreNulls) {
    Expr value = args.bind(required(a.getExpression(), name));
    long offset = a.getOffset() == null ? 1 : constant(a.getOffset(), name, "its offset");
    if (offset < 0) {
      throw KilnException.binding(name + "'s offset must not be negative, got " + offset + binder.positions.of(name));
    }
    Expr fallback = a.getDefaultValue() == null ? Literal.nullOf(value.type()) : args.bind(a.getDefaultValue());
    DataType type = valueType(value);
    if (!fallback.type().equals(type) && fallback.type().id() != DataType.Id.NULL) {
      type = Calls.commonType(type, fallback.type(), name + " with a default");
    }
    return new WindowCall(name.equals("lag") ? Fn.LAG : Fn.LEAD,
        List.of(Calls.cast(value, type), Literal.ofLong(offset), Calls.cast(fallback, type)), frame, ignoreNulls, type);
  }

  private WindowCall aggregate(String name, Expression first, AnalyticExpression a, ExprBinder args,
      WindowFrame frame) {
    if (!Binder.WINDOW_AGGREGATE_NAMES.contains(name)) {
      throw KilnException.unsupported((Binder.AGGREGATE_NAMES.contains(name) ? "aggregate " + name
          + " as a window function" : "window function " + name) + binder.positions.of(name));
    }
    if (a.getOffset() != null) {
      throw KilnException.binding(name + " takes one argument" + binder.positions.of(name));
    }
    AggregateCall agg = AggregateCalls.make(name, first == null ? null : args.bind(first), false, null);
    Fn fn = Fn.valueOf(agg.fn().name());
    Expr arg = agg.arg();
    if (arg != null && arg.type().id() == DataType.Id.NULL) {
      // sum(NULL): an untyped NULL becomes a NULL of the result's type, so the operator sees a typed column.
      arg = Calls.cast(arg, fn == Fn.COUNT ? DataType.BIGINT : agg.type());
    }
    return new WindowCall(fn, arg == null ? List.of() : List.of(arg), frame, false, agg.type());
  }

  private static DataType valueType(Expr e) {
    return e.type().id() == DataType.Id.NULL ? DataType.INTEGER : e.type();
  }

  private Expression required(Expression e, String name) {
    if (e == null) {
      throw KilnException.binding(name + " needs an argument" + binder.positions.of(name));
    }
    return e;
  }

  /** A constant integer argument such as lag's offset. */
  private long constant(Expression e, String name, String what) {
    Expr bound = e == null ? null : constantOrNull(binder, e);
    if (!(bound instanceof Literal) || !bound.type().isInteger() || ((Literal) bound).isNull()) {
      throw KilnException.binding(name + " needs a constant integer as " + what + (e == null ? "" : ", not " + e)
          + binder.positions.of(name));
    }
    return ((Number) ((Literal) bound).value()).longValue();
  }

  /** The expression bound where no column is visible, or null when it reads one (so it is no constant). */
  static Expr constantOrNull(Binder binder, Expression e) {
    try {
      return new ExprBinder(binder, new Scope(List.of(), null), Binder.Ctes.EMPTY, null).bind(e);
    } catch (KilnException notConstant) {
      if (notConstant.kind() != KilnException.Kind.BINDING) {
        throw notConstant;
      }
      return null;
    }
  }
}
