package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.types.DataType;

/**
 * The implicit casts an INSERT applies to put a value into a column of another type, as DuckDB
 * allows them: between numbers (checked for range when the rows are made), to and from text,
 * between DATE and TIMESTAMP, and between BOOLEAN and integers or floating point. Anything else
 * (a DATE into an INTEGER column, say) is an error naming the column and both types.
 */
final class AssignmentCasts {
  private AssignmentCasts() {}

  static boolean allowed(DataType from, DataType to) {
    if (from.equals(to) || from.id() == DataType.Id.NULL || from.id() == DataType.Id.VARCHAR
        || to.id() == DataType.Id.VARCHAR) {
      return true;
    }
    if (from.isNumeric() && to.isNumeric()) {
      return true;
    }
    if (from.isTemporal() && to.isTemporal()) {
      return true;
    }
    boolean fromBool = from.id() == DataType.Id.BOOLEAN;
    boolean toBool = to.id() == DataType.Id.BOOLEAN;
    return fromBool && (to.isInteger() || to.kind() == io.kiln.types.PhysicalKind.DOUBLE)
        || toBool && from.isInteger();
  }

  static Expr cast(Expr value, DataType to, String table, String column, SourcePositions positions) {
    if (value.type().id() == DataType.Id.NULL) {
      return Literal.nullOf(to);
    }
    if (!allowed(value.type(), to)) {
      throw KilnException.binding("INSERT INTO " + table + ": column " + column + " is " + to + " but the value is "
          + value.type() + ", which does not convert to it implicitly (use CAST)" + positions.of(column));
    }
    return Calls.cast(value, to);
  }
}
