package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.Expr;
import io.kiln.logical.Interval;
import io.kiln.logical.Literal;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowFrame;
import io.kiln.logical.WindowFrame.Bound;
import io.kiln.logical.WindowFrame.BoundKind;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.WindowElement;
import net.sf.jsqlparser.expression.WindowOffset;

/**
 * Binds a window frame ({@code ROWS|RANGE BETWEEN ... AND ...}) or supplies SQL's default, and
 * checks it: a frame that starts after it ends, a negative or non-constant offset, or a RANGE
 * offset without one numeric (or date) ORDER BY key is a binding error, not a wrong answer.
 */
final class FrameBinder {
  private final Binder binder;

  FrameBinder(Binder binder) {
    this.binder = binder;
  }

  /** The frame written, or SQL's default; checked so that its start never comes after its end. */
  WindowFrame bind(WindowElement e, List<SortKey> orderBy, String name) {
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
    Expr bound = WindowBinder.constantOrNull(binder, e);
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
