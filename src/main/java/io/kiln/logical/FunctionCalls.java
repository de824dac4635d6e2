package io.kiln.logical;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.DataType.Id;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Calls of the named scalar functions for strings, numbers and dates (DuckDB's names and
 * result types): checks the arguments, casts them to what the implementation takes and picks the
 * result type. The implementations are {@link TextFunctions}, {@link MathFunctions} and
 * {@link DateFunctions}, run by both execution modes and by constant folding.
 */
public final class FunctionCalls {
  /** The fields DATE_PART, EXTRACT and date_diff know. */
  static final Set<String> PARTS = Set.of("year", "month", "day", "quarter", "week", "dow", "isodow", "doy",
      "hour", "minute", "second", "millisecond", "microsecond", "epoch", "decade", "century", "millennium",
      "yearweek", "isoyear");

  private FunctionCalls() {}

  /** The call of {@code name}, or null if no such function is known here. */
  public static Expr of(String name, List<Expr> args) {
    switch (name) {
      case "replace":
        return call(Function.REPLACE, DataType.VARCHAR, strings(name, args, 3));
      case "strpos": case "instr": case "position":
        return call(Function.STRPOS, DataType.BIGINT, strings(name, args, 2));
      case "starts_with": case "prefix":
        return call(Function.STARTS_WITH, DataType.BOOLEAN, strings(name, args, 2));
      case "ends_with": case "suffix":
        return call(Function.ENDS_WITH, DataType.BOOLEAN, strings(name, args, 2));
      case "contains":
        return call(Function.CONTAINS, DataType.BOOLEAN, strings(name, args, 2));
      case "lpad": case "rpad": {
        count(name, args, 3);
        return call(name.equals("lpad") ? Function.LPAD : Function.RPAD, DataType.VARCHAR,
            List.of(text(args.get(0)), integer(args.get(1), name), text(args.get(2))));
      }
      case "split_part":
        count(name, args, 3);
        return call(Function.SPLIT_PART, DataType.VARCHAR,
            List.of(text(args.get(0)), text(args.get(1)), integer(args.get(2), name)));
      case "left": case "right": case "repeat":
        count(name, args, 2);
        return call(name.equals("left") ? Function.LEFT : name.equals("right") ? Function.RIGHT : Function.REPEAT,
            DataType.VARCHAR, List.of(text(args.get(0)), integer(args.get(1), name)));
      case "reverse":
        return call(Function.REVERSE, DataType.VARCHAR, strings(name, args, 1));
      case "regexp_matches":
        return call(Function.REGEXP_MATCHES, DataType.BOOLEAN, strings(name, args, 2));
      case "regexp_replace": {
        if (args.size() != 3 && args.size() != 4) {
          throw KilnException.binding("regexp_replace takes 3 or 4 arguments (text, pattern, replacement[, options])");
        }
        List<Expr> a = new ArrayList<>();
        args.forEach(x -> a.add(text(x)));
        return call(Function.REGEXP_REPLACE, DataType.VARCHAR, a);
      }
      case "regexp_extract": {
        if (args.size() != 2 && args.size() != 3) {
          throw KilnException.binding("regexp_extract takes 2 or 3 arguments (text, pattern[, group])");
        }
        List<Expr> a = new ArrayList<>(List.of(text(args.get(0)), text(args.get(1))));
        a.add(args.size() == 3 ? integer(args.get(2), name) : Literal.ofLong(0));
        return call(Function.REGEXP_EXTRACT, DataType.VARCHAR, a);
      }
      case "power": case "pow":
        count(name, args, 2);
        return call(Function.POWER, DataType.DOUBLE, List.of(number(args.get(0), name), number(args.get(1), name)));
      case "sqrt": case "ln": case "log10": case "log": case "exp":
        count(name, args, 1);
        return call(name.equals("sqrt") ? Function.SQRT : name.equals("ln") ? Function.LN
            : name.equals("exp") ? Function.EXP : Function.LOG10, DataType.DOUBLE, List.of(number(args.get(0), name)));
      case "sign": {
        count(name, args, 1);
        Expr x = args.get(0);
        if (!x.type().isNumeric() && x.type().id() != Id.NULL) {
          throw KilnException.binding("sign needs a number, got " + x.type());
        }
        return call(Function.SIGN, DataType.BIGINT, List.of(x));
      }
      case "mod":
        count(name, args, 2);
        return Calls.arithmetic(Function.MODULO, args.get(0), args.get(1));
      case "greatest": case "least": {
        if (args.isEmpty()) {
          throw KilnException.binding(name + " needs at least one argument");
        }
        DataType t = DataType.NULL;
        for (Expr a : args) {
          t = Calls.commonType(t, a.type(), "compare in " + name);
        }
        List<Expr> a = new ArrayList<>();
        for (Expr x : args) {
          a.add(Calls.cast(x, t));
        }
        return call(name.equals("greatest") ? Function.GREATEST : Function.LEAST, t, a);
      }
      case "date_trunc": case "datetrunc": {
        count(name, args, 2);
        String part = part(args.get(0), name);
        return call(Function.DATE_TRUNC, DataType.TIMESTAMP, List.of(Literal.of(part), temporal(args.get(1), name)));
      }
      case "date_part": case "datepart":
        count(name, args, 2);
        return datePart(part(args.get(0), name), args.get(1));
      case "date_diff": case "datediff": {
        count(name, args, 3);
        String part = part(args.get(0), name);
        Expr a = temporal(args.get(1), name);
        Expr b = temporal(args.get(2), name);
        DataType t = a.type().id() == Id.TIMESTAMP || b.type().id() == Id.TIMESTAMP ? DataType.TIMESTAMP : DataType.DATE;
        return call(Function.DATE_DIFF_PART, DataType.BIGINT, List.of(Literal.of(part), Calls.cast(a, t), Calls.cast(b, t)));
      }
      case "date_sub": case "datesub": {
        count(name, args, 3);
        String part = part(args.get(0), name);
        Expr a = temporal(args.get(1), name);
        Expr b = temporal(args.get(2), name);
        DataType t = a.type().id() == Id.TIMESTAMP || b.type().id() == Id.TIMESTAMP ? DataType.TIMESTAMP : DataType.DATE;
        return call(Function.DATE_SUB_PART, DataType.BIGINT, List.of(Literal.of(part), Calls.cast(a, t), Calls.cast(b, t)));
      }
      case "date_add": {
        // DuckDB: a date plus an interval is a TIMESTAMP, plus a number of days a DATE
        count(name, args, 2);
        Expr x = temporal(args.get(0), name);
        Expr amount = args.get(1);
        if (amount.type().id() == Id.INTERVAL && x.type().id() == Id.DATE) {
          x = Calls.cast(x, DataType.TIMESTAMP);
        } else if (amount.type().id() != Id.INTERVAL && !amount.type().isInteger()) {
          throw KilnException.binding("date_add adds an INTERVAL or a whole number of days, not " + amount.type());
        }
        return Calls.arithmetic(Function.ADD, x, amount);
      }
      case "make_date":
        count(name, args, 3);
        return call(Function.MAKE_DATE, DataType.DATE,
            List.of(integer(args.get(0), name), integer(args.get(1), name), integer(args.get(2), name)));
      case "last_day":
        count(name, args, 1);
        return call(Function.LAST_DAY, DataType.DATE, List.of(temporal(args.get(0), name)));
      case "strftime":
        count(name, args, 2);
        return call(Function.STRFTIME, DataType.VARCHAR, List.of(temporal(args.get(0), name), text(args.get(1))));
      case "strptime":
        count(name, args, 2);
        return call(Function.STRPTIME, DataType.TIMESTAMP, List.of(text(args.get(0)), text(args.get(1))));
      default:
        return null;
    }
  }

  /** EXTRACT(part FROM x) and date_part('part', x): BIGINT, or DOUBLE for epoch. */
  public static Expr datePart(String part, Expr x) {
    String p = part.toLowerCase(Locale.ROOT);
    if (!PARTS.contains(p)) {
      throw KilnException.binding("unknown date part '" + part + "'; known: " + new java.util.TreeSet<>(PARTS));
    }
    return call(Function.DATE_PART, p.equals("epoch") ? DataType.DOUBLE : DataType.BIGINT,
        List.of(Literal.of(p), temporal(x, "date_part")));
  }

  private static Expr call(Function f, DataType type, List<Expr> args) {
    return new Call(f, args, type);
  }

  private static void count(String name, List<Expr> args, int n) {
    if (args.size() != n) {
      throw KilnException.binding(name + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
    }
  }

  private static List<Expr> strings(String name, List<Expr> args, int n) {
    count(name, args, n);
    List<Expr> out = new ArrayList<>();
    args.forEach(a -> out.add(text(a)));
    return out;
  }

  private static Expr text(Expr e) {
    return e.type().id() == Id.VARCHAR ? e : Calls.cast(e, DataType.VARCHAR);
  }

  private static Expr integer(Expr e, String where) {
    if (!e.type().isInteger() && e.type().id() != Id.NULL) {
      throw KilnException.binding(where + " needs an integer, got " + e.type());
    }
    return Calls.cast(e, DataType.BIGINT);
  }

  private static Expr number(Expr e, String where) {
    if (!e.type().isNumeric() && e.type().id() != Id.NULL) {
      throw KilnException.binding(where + " needs a number, got " + e.type());
    }
    return Calls.cast(e, DataType.DOUBLE);
  }

  private static Expr temporal(Expr e, String where) {
    if (e.type().id() == Id.VARCHAR && e instanceof Literal) {
      return Calls.cast(e, DataType.TIMESTAMP);
    }
    if (!e.type().isTemporal() && e.type().id() != Id.NULL) {
      throw KilnException.binding(where + " needs a DATE or TIMESTAMP, got " + e.type());
    }
    return e.type().id() == Id.NULL ? Calls.cast(e, DataType.DATE) : e;
  }

  /** The part names a literal gives ('month'), checked. */
  private static String part(Expr e, String where) {
    if (!(e instanceof Literal) || e.type().id() != Id.VARCHAR || ((Literal) e).isNull()) {
      throw KilnException.binding(where + "'s first argument must be a part name in quotes, such as 'month'");
    }
    String p = ((String) ((Literal) e).value()).toLowerCase(Locale.ROOT);
    if (!PARTS.contains(p)) {
      throw KilnException.binding("unknown date part '" + p + "' in " + where + "; known: "
          + new java.util.TreeSet<>(PARTS));
    }
    return p;
  }
}
