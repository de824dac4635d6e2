package io.kiln;

import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import io.kiln.sql.AggregateCalls;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.util.Suggestions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An expression of the DataFrame API, named by column names and bound to a plan's columns when a
 * DataFrame method uses it. Build them with {@link Functions}.
 */
public final class Column {
  /** What a column expression is bound against: the input's columns and, for aggregates, a collector. */
  static final class Scope {
    final List<ColumnRef> columns;
    final List<AggregateCall> calls;
    final List<ColumnRef> callOutputs;

    Scope(List<ColumnRef> columns, boolean aggregatesAllowed) {
      this.columns = columns;
      this.calls = aggregatesAllowed ? new ArrayList<>() : null;
      this.callOutputs = aggregatesAllowed ? new ArrayList<>() : null;
    }
  }

  interface Binding {
    Expr bind(Scope scope);
  }

  private final Binding binding;
  private final String name;
  private final boolean ascending;

  private Column(Binding binding, String name, boolean ascending) {
    this.binding = binding;
    this.name = name;
    this.ascending = ascending;
  }

  Column(Binding binding, String name) {
    this(binding, name, true);
  }

  static Column named(String columnName) {
    return new Column(scope -> {
      String lower = columnName.toLowerCase(Locale.ROOT);
      for (ColumnRef c : scope.columns) {
        if (c.name().equals(lower)) {
          return c;
        }
      }
      List<String> names = new ArrayList<>();
      for (ColumnRef c : scope.columns) {
        names.add(c.name());
      }
      throw KilnException.binding("unknown column " + columnName + Suggestions.didYouMean(columnName, names));
    }, columnName.toLowerCase(Locale.ROOT));
  }

  static Column literal(Object value) {
    return new Column(scope -> toLiteral(value), String.valueOf(value));
  }

  private static Literal toLiteral(Object v) {
    if (v == null) {
      return Literal.nullOf(DataType.NULL);
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return new Literal(((Number) v).longValue(), DataType.INTEGER);
    }
    if (v instanceof Long) {
      return new Literal(v, DataType.BIGINT);
    }
    if (v instanceof Double || v instanceof Float) {
      // Decimal literals stay exact, as in SQL: 0.05 is DECIMAL(3,2), not a binary fraction.
      BigDecimal d = BigDecimal.valueOf(((Number) v).doubleValue());
      int scale = Math.max(0, d.scale());
      if (scale <= 18 && d.precision() <= 18) {
        return new Literal(Decimals.fromBigDecimal(d, scale), DataType.decimal(Math.max(d.precision(), scale), scale));
      }
      return new Literal(((Number) v).doubleValue(), DataType.DOUBLE);
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      int scale = Math.max(0, d.scale());
      return new Literal(Decimals.fromBigDecimal(d, scale), DataType.decimal(Math.max(1, Math.max(d.precision(), scale)), scale));
    }
    if (v instanceof String) {
      return new Literal(v, DataType.VARCHAR);
    }
    if (v instanceof Boolean) {
      return Literal.ofBoolean((Boolean) v);
    }
    if (v instanceof LocalDate) {
      return new Literal(((LocalDate) v).toEpochDay(), DataType.DATE);
    }
    throw KilnException.unsupported("literal of Java type " + v.getClass().getName());
  }

  /** A call of a user's scalar function, with SQL's implicit argument conversions. */
  static Column udf(io.kiln.catalog.ScalarUdf f, Column... args) {
    StringBuilder name = new StringBuilder(f.name()).append('(');
    for (int i = 0; i < args.length; i++) {
      name.append(i == 0 ? "" : ", ").append(args[i].name);
    }
    return new Column(scope -> {
      List<Expr> bound = new ArrayList<>();
      for (Column a : args) {
        bound.add(a.bind(scope));
      }
      return io.kiln.logical.UdfCall.bind(f, bound);
    }, name.append(')').toString());
  }

  static Column aggregate(String fn, Column arg) {
    return aggregate(fn, arg, a -> AggregateCalls.make(fn, a, false, null));
  }

  /** A call of a user's aggregate function. */
  static Column udfAggregate(io.kiln.catalog.AggregateUdf f, Column arg) {
    return aggregate(f.name(), arg, a -> AggregateCall.udf(f, List.of(a), null));
  }

  private static Column aggregate(String fn, Column arg, java.util.function.Function<Expr, AggregateCall> make) {
    return new Column(scope -> {
      if (scope.calls == null) {
        throw KilnException.binding("aggregate " + fn + " is only allowed in agg(...)");
      }
      Expr a = arg == null ? null : arg.bind(new Scope(scope.columns, false));
      AggregateCall call = make.apply(a);
      int i = scope.calls.indexOf(call);
      if (i >= 0) {
        return scope.callOutputs.get(i);
      }
      ColumnRef out = ColumnRef.fresh(fn, call.type());
      scope.calls.add(call);
      scope.callOutputs.add(out);
      return out;
    }, fn + "(" + (arg == null ? "*" : arg.name) + ")");
  }

  Expr bind(Scope scope) {
    return binding.bind(scope);
  }

  String name() {
    return name;
  }

  boolean ascending() {
    return ascending;
  }

  /** The same expression under another output name. */
  public Column as(String alias) {
    return new Column(binding, alias.toLowerCase(Locale.ROOT), ascending);
  }

  public Column asc() {
    return new Column(binding, name, true);
  }

  public Column desc() {
    return new Column(binding, name, false);
  }

  private Column binary(String op, Column other, java.util.function.BinaryOperator<Expr> f) {
    return new Column(scope -> f.apply(bind(scope), other.bind(scope)), "(" + name + " " + op + " " + other.name + ")");
  }

  private static Column lit(Object o) {
    return o instanceof Column ? (Column) o : literal(o);
  }

  public Column plus(Object o) {
    return binary("+", lit(o), (a, b) -> Calls.arithmetic(Function.ADD, a, b));
  }

  public Column minus(Object o) {
    return binary("-", lit(o), (a, b) -> Calls.arithmetic(Function.SUBTRACT, a, b));
  }

  public Column times(Object o) {
    return binary("*", lit(o), (a, b) -> Calls.arithmetic(Function.MULTIPLY, a, b));
  }

  public Column div(Object o) {
    return binary("/", lit(o), (a, b) -> Calls.arithmetic(Function.DIVIDE, a, b));
  }

  public Column eq(Object o) {
    return binary("=", lit(o), (a, b) -> Calls.compare(Function.EQ, a, b));
  }

  public Column ne(Object o) {
    return binary("<>", lit(o), (a, b) -> Calls.compare(Function.NE, a, b));
  }

  public Column lt(Object o) {
    return binary("<", lit(o), (a, b) -> Calls.compare(Function.LT, a, b));
  }

  public Column le(Object o) {
    return binary("<=", lit(o), (a, b) -> Calls.compare(Function.LE, a, b));
  }

  public Column gt(Object o) {
    return binary(">", lit(o), (a, b) -> Calls.compare(Function.GT, a, b));
  }

  public Column ge(Object o) {
    return binary(">=", lit(o), (a, b) -> Calls.compare(Function.GE, a, b));
  }

  public Column and(Column o) {
    return binary("AND", o, Calls::and);
  }

  public Column or(Column o) {
    return binary("OR", o, Calls::or);
  }

  public Column not() {
    return new Column(scope -> Calls.not(bind(scope)), "NOT " + name);
  }

  public Column isNull() {
    return new Column(scope -> Calls.isNull(bind(scope), false), name + " IS NULL");
  }

  public Column isNotNull() {
    return new Column(scope -> Calls.isNull(bind(scope), true), name + " IS NOT NULL");
  }

  public Column like(String pattern) {
    return new Column(scope -> Calls.like(bind(scope), toLiteral(pattern), false), name + " LIKE '" + pattern + "'");
  }

  public Column between(Object low, Object high) {
    Column l = lit(low);
    Column h = lit(high);
    return new Column(scope -> Calls.between(bind(scope), l.bind(scope), h.bind(scope), false),
        name + " BETWEEN " + l.name + " AND " + h.name);
  }

  public Column isIn(Object... values) {
    return new Column(scope -> {
      List<Expr> items = new ArrayList<>();
      for (Object v : values) {
        items.add(lit(v).bind(scope));
      }
      return Calls.inList(bind(scope), items, false);
    }, name + " IN (...)");
  }

  public Column cast(DataType type) {
    return new Column(scope -> Calls.cast(bind(scope), type), "CAST(" + name + " AS " + type + ")");
  }

  @Override
  public String toString() {
    return name;
  }
}
