package io.kiln.physical.plan;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import java.util.ArrayList;
import java.util.List;

/** Which scan filters a table can use to skip data, as {@link ColumnPredicate}s over its schema's columns. */
final class ScanPredicates {
  private ScanPredicates() {}

  /** The predicate for a filter over the scan's columns {@code cols} (schema indexes {@code idx}), or null. */
  static ColumnPredicate toColumnPredicate(Expr e, List<ColumnRef> cols, int[] idx) {
    if (!(e instanceof Call)) {
      return null;
    }
    Call c = (Call) e;
    if (c.function() == Function.IS_NULL || c.function() == Function.IS_NOT_NULL) {
      int pos = cols.indexOf(c.arg(0));
      return pos < 0 ? null : new ColumnPredicate(idx[pos], c.function() == Function.IS_NULL
          ? ColumnPredicate.Op.IS_NULL : ColumnPredicate.Op.IS_NOT_NULL, List.of());
    }
    if (c.function() == Function.LIKE || (c.function() == Function.NOT && c.arg(0) instanceof Call
        && ((Call) c.arg(0)).function() == Function.LIKE)) {
      boolean negated = c.function() == Function.NOT;
      Call like = negated ? (Call) c.arg(0) : c;
      int pos = cols.indexOf(like.arg(0));
      if (pos < 0 || !(like.arg(1) instanceof Literal) || ((Literal) like.arg(1)).isNull()) {
        return null;
      }
      return new ColumnPredicate(idx[pos], negated ? ColumnPredicate.Op.NOT_LIKE : ColumnPredicate.Op.LIKE,
          List.of(((Literal) like.arg(1)).javaValue()));
    }
    if (c.function() == Function.IN_LIST && c.arg(0) instanceof ColumnRef) {
      int pos = cols.indexOf(c.arg(0));
      List<Object> values = new ArrayList<>();
      for (Expr a : c.args().subList(1, c.args().size())) {
        if (!(a instanceof Literal) || ((Literal) a).isNull()) {
          return null;
        }
        values.add(((Literal) a).javaValue());
      }
      return pos < 0 ? null : new ColumnPredicate(idx[pos], ColumnPredicate.Op.IN, values);
    }
    if (!c.function().isComparison()) {
      return null;
    }
    Expr a = c.arg(0);
    Expr b = c.arg(1);
    Function f = c.function();
    if (a instanceof Literal && b instanceof ColumnRef) {
      Expr t = a;
      a = b;
      b = t;
      f = f.flip();
    }
    if (!(a instanceof ColumnRef) || !(b instanceof Literal) || ((Literal) b).isNull()) {
      return null;
    }
    int pos = cols.indexOf(a);
    if (pos < 0) {
      return null;
    }
    ColumnPredicate.Op op = ColumnPredicate.Op.valueOf(f.name());
    return new ColumnPredicate(idx[pos], op, List.of(((Literal) b).javaValue()));
  }
}
