package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.logical.Interval;
import io.kiln.logical.Literal;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowCall.Fn;
import io.kiln.logical.WindowExpr;
import io.kiln.logical.WindowFrame;
import io.kiln.logical.WindowFrame.Bound;
import io.kiln.logical.WindowFrame.BoundKind;
import io.kiln.logical.WindowSpec;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
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
import net.sf.jsqlparser.expression.WindowOffset;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;

/**
 * Binds {@code f(...) OVER (...)} into a {@link WindowExpr}: the function and its typed arguments,
 * the PARTITION BY and ORDER BY of the window (its own or a named one from the WINDOW clause), and
 * the frame, checked here so that a frame that makes no sense is a binding error, not a wrong answer.
 */
final class WindowBinder {
  private final Binder binder;
  private final Map<String, WindowDefinition> named = new HashMap<>();

  WindowBinder(Binder binder, List<WindowDefinition> definitions) {
    this.binder = binder;
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
    WindowFrame boundFrame = frame(frame, orderBy, name);
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
    if (!Binder.AGGREGATE_NAMES.contains(name)) {
      throw KilnException.unsupported("window function " + name + binder.positions.of(name));
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
    Expr bound = e == null ? null : constantOrNull(e);
    if (!(bound instanceof Literal) || !bound.type().isInteger() || ((Literal) bound).isNull()) {
      throw KilnException.binding(name + " needs a constant integer as " + what + (e == null ? "" : ", not " + e)
          + binder.positions.of(name));
    }
    return ((Number) ((Literal) bound).value()).longValue();
  }

  /** The expression bound where no column is visible, or null when it reads one (so it is no constant). */
  private Expr constantOrNull(Expression e) {
    try {
      return new ExprBinder(binder, new Scope(List.of(), null), Binder.Ctes.EMPTY, null).bind(e);
    } catch (KilnException notConstant) {
      if (notConstant.kind() != KilnException.Kind.BINDING) {
        throw notConstant;
      }
      return null;
    }
  }

  // ---------------------------------------------------------------- frames

  /** The frame written, or SQL's default; checked so that its start never comes after its end. */
  private WindowFrame frame(WindowElement e, List<SortKey> orderBy, String name) {
    if (e == null) {
      return orderBy.isEmpty() ? WindowFrame.WHOLE_PARTITION : WindowFrame.RUNNING;
    }
    WindowFrame.Units units = e.getType() == WindowElement.Type.ROWS ? WindowFrame.Units.ROWS
        : WindowFrame.Units.RANGE;
    if (e.getType() != WindowElement.Type.ROWS && e.getType() != WindowElement.Type.RANGE) {
      throw KilnException.unsupported(e.getType() + " frames; use ROWS or RANGE");
    }
    Bound start;
    Bound end;
    if (e.getRange() != null) {
      start = bound(e.getRange().getStart(), units, orderBy, true);
      end = bound(e.getRange().getEnd(), units, orderBy, false);
    } else {
      start = bound(e.getOffset(), units, orderBy, true);
      end = Bound.of(BoundKind.CURRENT_ROW);
    }
    String where = binder.positions.of(units.name());
    if (start.kind() == BoundKind.UNBOUNDED_FOLLOWING) {
      throw KilnException.binding("a frame cannot start at UNBOUNDED FOLLOWING" + where);
    }
    if (end.kind() == BoundKind.UNBOUNDED_PRECEDING) {
      throw KilnException.binding("a frame cannot end at UNBOUNDED PRECEDING" + where);
    }
    if (position(start) > position(end)) {
      throw KilnException.binding("the frame of " + name + " starts after it ends (" + start + " to " + end + ")"
          + where);
    }
    return new WindowFrame(units, start, end);
  }

  /**
   * Where a bound lies relative to the current row, as a number that orders bounds (offsets count
   * as rows or key values: both grow the same way); used only to refuse frames that end first.
   */
  private static double position(Bound b) {
    switch (b.kind()) {
      case UNBOUNDED_PRECEDING:
        return Double.NEGATIVE_INFINITY;
      case UNBOUNDED_FOLLOWING:
        return Double.POSITIVE_INFINITY;
      case CURRENT_ROW:
        return 0;
      default:
        double v = ((Number) b.offset().value()).doubleValue();
        return b.kind() == BoundKind.PRECEDING ? -v : v;
    }
  }

  private Bound bound(WindowOffset o, WindowFrame.Units units, List<SortKey> orderBy, boolean start) {
    if (o == null) {
      throw KilnException.syntax("a window frame bound is missing");
    }
    switch (o.getType()) {
      case CURRENT:
        return Bound.of(BoundKind.CURRENT_ROW);
      case PRECEDING:
        return o.getExpression() == null ? Bound.of(BoundKind.UNBOUNDED_PRECEDING)
            : new Bound(BoundKind.PRECEDING, offset(o.getExpression(), units, orderBy));
      case FOLLOWING:
        return o.getExpression() == null ? Bound.of(BoundKind.UNBOUNDED_FOLLOWING)
            : new Bound(BoundKind.FOLLOWING, offset(o.getExpression(), units, orderBy));
      default:
        throw KilnException.unsupported("window frame bound " + o + (start ? " (start)" : " (end)"));
    }
  }

  /**
   * A frame offset: a non-negative integer of rows for ROWS; for RANGE, a non-negative constant of
   * the single ORDER BY key's type (a day interval for a date key).
   */
  private Literal offset(Expression e, WindowFrame.Units units, List<SortKey> orderBy) {
    Expr bound = constantOrNull(e);
    if (!(bound instanceof Literal) || ((Literal) bound).isNull()) {
      throw KilnException.binding("a frame offset must be a constant, not " + e + binder.positions.of(units.name()));
    }
    Literal l = (Literal) bound;
    if (units == WindowFrame.Units.ROWS) {
      if (!l.type().isInteger()) {
        throw KilnException.binding("a ROWS frame offset counts rows: it must be an integer, not " + e
            + binder.positions.of("rows"));
      }
      return Literal.ofLong(nonNegative(((Number) l.value()).longValue(), e));
    }
    if (orderBy.size() != 1) {
      throw KilnException.binding("a RANGE frame with an offset needs exactly one ORDER BY key, not "
          + orderBy.size() + binder.positions.of("range"));
    }
    DataType key = orderBy.get(0).expr().type();
    if (key.id() == DataType.Id.DATE) {
      if (!(l.value() instanceof Interval) || ((Interval) l.value()).months() != 0) {
        throw KilnException.unsupported("a RANGE offset on a date must be an interval of days, not " + e);
      }
      return new Literal(nonNegative(((Interval) l.value()).days(), e), DataType.BIGINT);
    }
    if (!key.isNumeric() || !l.type().isNumeric()) {
      throw KilnException.binding("a RANGE frame offset needs a numeric (or date) ORDER BY key and a number, not "
          + key + " and " + e + binder.positions.of("range"));
    }
    if (key.kind() == io.kiln.types.PhysicalKind.DOUBLE) {
      double v = l.value() instanceof Double ? (Double) l.value()
          : Decimals.toDouble((Long) l.value(), l.type().scale());
      if (v < 0) {
        throw negativeOffset(e);
      }
      return new Literal(v, DataType.DOUBLE);
    }
    if (l.value() instanceof Double || l.type().scale() > key.scale()) {
      throw KilnException.binding("a RANGE offset must have at most the ORDER BY key's " + key.scale()
          + " decimal places, not " + e + binder.positions.of("range"));
    }
    long v = Decimals.rescale((Long) l.value(), l.type().scale(), key.scale());
    return new Literal(nonNegative(v, e), key.isInteger() ? DataType.BIGINT : key);
  }

  private long nonNegative(long v, Expression e) {
    if (v < 0) {
      throw negativeOffset(e);
    }
    return v;
  }

  private KilnException negativeOffset(Expression e) {
    return KilnException.binding("a frame offset must not be negative, got " + e + binder.positions.of(e.toString()));
  }
}
