package io.kiln.logical;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.DataType.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds well-typed calls: picks the result type by SQL's rules and inserts casts so that the
 * executor's kernels see operands of one type (decimal rescaling, integer widening, string
 * literals compared with dates). Shared by the SQL binder and the DataFrame API.
 */
public final class Calls {
  private Calls() {}

  public static Expr cast(Expr e, DataType target) {
    if (e.type().equals(target)) {
      return e;
    }
    if (e instanceof Literal) {
      return LiteralCasts.cast((Literal) e, target);
    }
    return Call.of(Function.CAST, target, e);
  }

  /** TRY_CAST: a value that cannot be converted becomes NULL instead of failing the query. */
  public static Expr tryCast(Expr e, DataType target) {
    if (e.type().equals(target)) {
      return e;
    }
    if (e instanceof Literal) {
      try {
        return LiteralCasts.cast((Literal) e, target);
      } catch (io.kiln.error.KilnException failed) {
        return Literal.nullOf(target);
      }
    }
    return Call.of(Function.TRY_CAST, target, e);
  }

  public static Expr arithmetic(Function op, Expr a, Expr b) {
    DataType ta = a.type();
    DataType tb = b.type();
    if (ta.id() == Id.NULL && tb.id() == Id.NULL) {
      return Literal.nullOf(DataType.BIGINT);
    }
    if (ta.id() == Id.NULL) {
      a = Literal.nullOf(tb.id() == Id.INTERVAL ? DataType.DATE : tb);
      ta = a.type();
    }
    if (tb.id() == Id.NULL) {
      b = Literal.nullOf(ta.isTemporal() && op != Function.MULTIPLY ? DataType.BIGINT : ta);
      tb = b.type();
    }
    if (op == Function.ADD && tb.isTemporal() && (ta.id() == Id.INTERVAL || ta.isInteger())) {
      return arithmetic(op, b, a);
    }
    if (ta.isTemporal() && (op == Function.ADD || op == Function.SUBTRACT)) {
      if (tb.id() == Id.INTERVAL) {
        Expr interval = op == Function.SUBTRACT ? negateInterval(b) : b;
        return Call.of(Function.DATE_ADD_INTERVAL, ta, a, interval);
      }
      if (ta.id() == Id.DATE && tb.isInteger()) {
        Expr days = op == Function.SUBTRACT ? negate(b) : b;
        return Call.of(Function.DATE_ADD_DAYS, DataType.DATE, a, cast(days, DataType.BIGINT));
      }
      if (op == Function.SUBTRACT && ta.id() == Id.DATE && tb.id() == Id.DATE) {
        return Call.of(Function.DATE_DIFF, DataType.BIGINT, a, b);
      }
    }
    if (!ta.isNumeric() || !tb.isNumeric()) {
      throw KilnException.binding("cannot apply " + op.symbol() + " to " + ta + " and " + tb);
    }
    if (ta.kind() == io.kiln.types.PhysicalKind.DOUBLE || tb.kind() == io.kiln.types.PhysicalKind.DOUBLE
        || (op == Function.DIVIDE && ta.isInteger() && tb.isInteger())) {
      return Call.of(op, DataType.DOUBLE, cast(a, DataType.DOUBLE), cast(b, DataType.DOUBLE));
    }
    if (ta.isInteger() && tb.isInteger()) {
      return Call.of(op, DataType.BIGINT, cast(a, DataType.BIGINT), cast(b, DataType.BIGINT));
    }
    DataType da = ta.asDecimal();
    DataType db = tb.asDecimal();
    int p1 = da.precision(), s1 = da.scale(), p2 = db.precision(), s2 = db.scale();
    switch (op) {
      case ADD:
      case SUBTRACT:
      case MODULO: {
        int s = Math.max(s1, s2);
        int p = Math.min(DataType.MAX_PRECISION, Math.max(p1 - s1, p2 - s2) + s + (op == Function.MODULO ? 0 : 1));
        DataType t = decimal(p, s);
        return Call.of(op, t, cast(a, decimal(Math.min(38, p1 - s1 + s), s)), cast(b, decimal(Math.min(38, p2 - s2 + s), s)));
      }
      case MULTIPLY:
        return Call.of(op, decimal(Math.min(DataType.MAX_PRECISION, p1 + p2), s1 + s2), cast(a, da), cast(b, db));
      case DIVIDE:
        // A quotient of decimals is rarely representable at any fixed scale; like DuckDB, divide
        // in DOUBLE rather than round to a scale the user did not choose.
        return Call.of(op, DataType.DOUBLE, cast(a, DataType.DOUBLE), cast(b, DataType.DOUBLE));
      default:
        throw new IllegalArgumentException(op.name());
    }
  }

  private static DataType decimal(int p, int s) {
    if (s > 18) {
      throw KilnException.unsupported("decimal results with more than 18 fractional digits (scale " + s
          + "); cast an operand to DOUBLE");
    }
    return DataType.decimal(Math.max(p, s), s);
  }

  public static Expr negate(Expr e) {
    if (e.type().id() == Id.NULL) {
      return e;
    }
    if (!e.type().isNumeric()) {
      throw KilnException.binding("cannot negate " + e.type());
    }
    if (e instanceof Literal) {
      return LiteralCasts.negate((Literal) e);
    }
    return Call.of(Function.NEGATE, e.type(), e);
  }

  private static Expr negateInterval(Expr e) {
    if (e instanceof Literal && ((Literal) e).value() != null) {
      return new Literal(((Interval) ((Literal) e).value()).negate(), DataType.INTERVAL);
    }
    throw KilnException.unsupported("only literal intervals can be subtracted");
  }

  public static Expr compare(Function op, Expr a, Expr b) {
    DataType t = comparisonType(a, b, op.symbol());
    return Call.of(op, DataType.BOOLEAN, cast(a, t), cast(b, t));
  }

  /** The type two values are compared in. */
  public static DataType comparisonType(Expr a, Expr b, String what) {
    DataType ta = a.type();
    DataType tb = b.type();
    if (ta.id() == Id.VARCHAR && tb.isTemporal() && a instanceof Literal) {
      return tb;
    }
    if (tb.id() == Id.VARCHAR && ta.isTemporal() && b instanceof Literal) {
      return ta;
    }
    return commonType(ta, tb, what);
  }

  /** The smallest type both values convert to without loss (for CASE, COALESCE, UNION, IN). */
  public static DataType commonType(DataType a, DataType b, String what) {
    if (a.equals(b)) {
      return a;
    }
    if (a.id() == Id.NULL) {
      return b;
    }
    if (b.id() == Id.NULL) {
      return a;
    }
    if (a.isNumeric() && b.isNumeric()) {
      if (a.kind() == io.kiln.types.PhysicalKind.DOUBLE || b.kind() == io.kiln.types.PhysicalKind.DOUBLE) {
        return DataType.DOUBLE;
      }
      if (a.isInteger() && b.isInteger()) {
        return a.precision() >= b.precision() ? a : b;
      }
      DataType da = a.asDecimal();
      DataType db = b.asDecimal();
      int s = Math.max(da.scale(), db.scale());
      int intDigits = Math.max(da.precision() - da.scale(), db.precision() - db.scale());
      return decimal(Math.min(DataType.MAX_PRECISION, intDigits + s), s);
    }
    if (a.isTemporal() && b.isTemporal()) {
      return DataType.TIMESTAMP;
    }
    throw KilnException.binding("cannot " + what + " " + a + " and " + b);
  }

  public static Expr and(Expr a, Expr b) {
    return Call.of(Function.AND, DataType.BOOLEAN, requireBoolean(a, "AND"), requireBoolean(b, "AND"));
  }

  public static Expr or(Expr a, Expr b) {
    return Call.of(Function.OR, DataType.BOOLEAN, requireBoolean(a, "OR"), requireBoolean(b, "OR"));
  }

  public static Expr not(Expr a) {
    return Call.of(Function.NOT, DataType.BOOLEAN, requireBoolean(a, "NOT"));
  }

  public static Expr requireBoolean(Expr e, String where) {
    if (e.type().id() == Id.NULL) {
      return Literal.nullOf(DataType.BOOLEAN);
    }
    if (e.type().id() != Id.BOOLEAN) {
      throw KilnException.binding(where + " needs a BOOLEAN, got " + e.type() + " (" + e + ")");
    }
    return e;
  }

  public static Expr isNull(Expr e, boolean negated) {
    return Call.of(negated ? Function.IS_NOT_NULL : Function.IS_NULL, DataType.BOOLEAN, e);
  }

  public static Expr like(Expr value, Expr pattern, boolean negated) {
    requireString(value, "LIKE");
    requireString(pattern, "LIKE");
    Expr like = Call.of(Function.LIKE, DataType.BOOLEAN, value, pattern);
    return negated ? not(like) : like;
  }

  public static Expr inList(Expr value, List<Expr> list, boolean negated) {
    DataType t = value.type();
    for (Expr e : list) {
      // A string literal in a list of dates is read as a date, as in a comparison.
      boolean literalForTemporal = t.isTemporal() && e instanceof Literal && e.type().id() == Id.VARCHAR;
      t = literalForTemporal ? t : commonType(t, e.type(), "compare IN values of");
    }
    List<Expr> args = new ArrayList<>();
    args.add(cast(value, t));
    for (Expr e : list) {
      args.add(cast(e, t));
    }
    Expr in = new Call(Function.IN_LIST, args, DataType.BOOLEAN);
    return negated ? not(in) : in;
  }

  public static Expr between(Expr value, Expr low, Expr high, boolean negated) {
    Expr b = and(compare(Function.GE, value, low), compare(Function.LE, value, high));
    return negated ? not(b) : b;
  }

  /** CASE WHEN c1 THEN r1 ... ELSE e END; {@code elseValue} may be null. */
  public static Expr caseWhen(List<Expr> conditions, List<Expr> results, Expr elseValue) {
    DataType t = elseValue == null ? DataType.NULL : elseValue.type();
    for (Expr r : results) {
      t = commonType(t, r.type(), "mix in CASE results");
    }
    if (t.id() == Id.NULL) {
      t = DataType.BOOLEAN;
    }
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      args.add(requireBoolean(conditions.get(i), "CASE WHEN"));
      args.add(cast(results.get(i), t));
    }
    args.add(elseValue == null ? Literal.nullOf(t) : cast(elseValue, t));
    return new Call(Function.CASE, args, t);
  }

  public static Expr coalesce(List<Expr> args) {
    DataType t = DataType.NULL;
    for (Expr a : args) {
      t = commonType(t, a.type(), "mix in COALESCE");
    }
    List<Expr> cast = new ArrayList<>();
    for (Expr a : args) {
      cast.add(cast(a, t));
    }
    return new Call(Function.COALESCE, cast, t);
  }

  public static Expr nullif(Expr a, Expr b) {
    DataType t = comparisonType(a, b, "compare");
    return Call.of(Function.NULLIF, a.type(), a, cast(b, t).type().equals(a.type()) ? cast(b, t) : cast(b, a.type()));
  }

  public static Expr extract(String field, Expr e) {
    if (!e.type().isTemporal()) {
      throw KilnException.binding("EXTRACT needs a DATE or TIMESTAMP, got " + e.type());
    }
    Function f;
    switch (field.toLowerCase()) {
      case "year": f = Function.EXTRACT_YEAR; break;
      case "month": f = Function.EXTRACT_MONTH; break;
      case "day": f = Function.EXTRACT_DAY; break;
      case "quarter": f = Function.EXTRACT_QUARTER; break;
      default: return FunctionCalls.datePart(field, e);
    }
    return Call.of(f, DataType.BIGINT, e);
  }

  public static Expr stringFunction(Function f, List<Expr> args) {
    switch (f) {
      case SUBSTRING:
        if (args.size() < 2 || args.size() > 3) {
          throw KilnException.binding("substring takes 2 or 3 arguments");
        }
        List<Expr> s = new ArrayList<>();
        s.add(toVarchar(args.get(0)));
        for (int i = 1; i < args.size(); i++) {
          s.add(requireInteger(args.get(i), "substring"));
        }
        return new Call(f, s, DataType.VARCHAR);
      case UPPER: case LOWER: case TRIM: case LTRIM: case RTRIM:
        expectArgs(f, args, 1);
        return Call.of(f, DataType.VARCHAR, toVarchar(args.get(0)));
      case LENGTH:
        expectArgs(f, args, 1);
        return Call.of(f, DataType.BIGINT, toVarchar(args.get(0)));
      case CONCAT:
      case CONCAT_OP: {
        List<Expr> c = new ArrayList<>();
        for (Expr a : args) {
          c.add(toVarchar(a));
        }
        return new Call(f, c, DataType.VARCHAR);
      }
      default:
        throw new IllegalArgumentException(f.name());
    }
  }

  public static Expr math(Function f, List<Expr> args) {
    if (args.isEmpty() || !args.get(0).type().isNumeric() && args.get(0).type().id() != Id.NULL) {
      throw KilnException.binding(f.symbol() + " needs a number");
    }
    Expr x = args.get(0);
    switch (f) {
      case ABS:
        expectArgs(f, args, 1);
        return Call.of(f, x.type(), x);
      case FLOOR:
      case CEIL:
        expectArgs(f, args, 1);
        if (x.type().id() == Id.DECIMAL) {
          return Call.of(f, DataType.decimal(x.type().precision(), 0), x);
        }
        return Call.of(f, x.type(), x);
      case ROUND: {
        long digits = 0;
        if (args.size() == 2) {
          if (!(args.get(1) instanceof Literal) || !args.get(1).type().isInteger()) {
            throw KilnException.unsupported("round's second argument must be an integer literal");
          }
          digits = (Long) ((Literal) args.get(1)).value();
        }
        if (x.type().id() == Id.DECIMAL) {
          int s = (int) Math.max(0, Math.min(digits, x.type().scale()));
          return Call.of(f, DataType.decimal(x.type().precision(), s), x, Literal.ofLong(digits));
        }
        return Call.of(f, x.type(), x, Literal.ofLong(digits));
      }
      default:
        throw new IllegalArgumentException(f.name());
    }
  }

  private static void expectArgs(Function f, List<Expr> args, int n) {
    if (args.size() != n) {
      throw KilnException.binding(f.symbol() + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
    }
  }

  private static Expr toVarchar(Expr e) {
    return e.type().id() == Id.VARCHAR ? e : cast(e, DataType.VARCHAR);
  }

  private static void requireString(Expr e, String where) {
    if (e.type().id() != Id.VARCHAR && e.type().id() != Id.NULL) {
      throw KilnException.binding(where + " needs VARCHAR operands, got " + e.type());
    }
  }

  private static Expr requireInteger(Expr e, String where) {
    if (!e.type().isInteger() && e.type().id() != Id.NULL) {
      throw KilnException.binding(where + " needs an integer, got " + e.type());
    }
    return cast(e, DataType.BIGINT);
  }
}
