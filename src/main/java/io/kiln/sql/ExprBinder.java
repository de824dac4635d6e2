package io.kiln.sql;

import io.kiln.catalog.AggregateUdf;
import io.kiln.catalog.ScalarUdf;
import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.FunctionCalls;
import io.kiln.logical.Interval;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.SubqueryExpr;
import io.kiln.logical.UdfCall;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

/** Binds one expression's syntax tree in a scope; aggregates go to the SELECT's aggregate context. */
final class ExprBinder {
  private static final Pattern INTERVAL_TEXT = Pattern.compile("\\s*'?\\s*(-?\\d+)\\s*([a-zA-Z]*)\\s*'?\\s*");

  private final Binder binder;
  private final Scope scope;
  private final Binder.Ctes ctes;
  private final Binder.AggregateContext aggregates;
  boolean sawAggregate;
  /** Where aggregates are refused, for the message (e.g. "in WHERE; use HAVING"). */
  String aggregatesRefused = "here";
  /** Binds window functions (OVER ...) where they are allowed (the select list, ORDER BY, QUALIFY); else null. */
  WindowBinder windows;
  /** Where window functions are refused, for the message. */
  String windowsRefused = "here";

  /**
   * Nodes of the parser's tree to bind as other, binder-made nodes: how a misparsed IN is
   * re-associated without editing the tree, which a CTE referenced twice binds twice.
   */
  private final Map<Expression, Expression> substitutes = new IdentityHashMap<>();

  ExprBinder(Binder binder, Scope scope, Binder.Ctes ctes, Binder.AggregateContext aggregates) {
    this.binder = binder;
    this.scope = scope;
    this.ctes = ctes;
    this.aggregates = aggregates;
  }

  Expr bind(Expression e) {
    Expression substitute = substitutes.remove(e);
    if (substitute != null) {
      return bind(substitute);
    }
    if (e instanceof Column) {
      return column((Column) e);
    }
    if (e instanceof LongValue) {
      long v = ((LongValue) e).getValue();
      return new Literal(v, v == (int) v ? DataType.INTEGER : DataType.BIGINT);
    }
    if (e instanceof DoubleValue) {
      return numberLiteral(e.toString());
    }
    if (e instanceof StringValue) {
      return new Literal(((StringValue) e).getValue().replace("''", "'"), DataType.VARCHAR);
    }
    if (e instanceof NullValue) {
      return Literal.nullOf(DataType.NULL);
    }
    if (e instanceof BooleanValue) {
      return Literal.ofBoolean(((BooleanValue) e).getValue());
    }
    if (e instanceof ParenthesedExpressionList) {
      ParenthesedExpressionList<?> p = (ParenthesedExpressionList<?>) e;
      if (p.size() == 1) {
        return bind((Expression) p.get(0));
      }
      throw KilnException.unsupported("row values " + e);
    }
    if (e instanceof SignedExpression) {
      SignedExpression s = (SignedExpression) e;
      Expr inner = bind(s.getExpression());
      return s.getSign() == '-' ? Calls.negate(inner) : inner;
    }
    if (e instanceof Addition) {
      return Calls.arithmetic(Function.ADD, left(e), right(e));
    }
    if (e instanceof Subtraction) {
      return Calls.arithmetic(Function.SUBTRACT, left(e), right(e));
    }
    if (e instanceof Multiplication) {
      return Calls.arithmetic(Function.MULTIPLY, left(e), right(e));
    }
    if (e instanceof Division) {
      return Calls.arithmetic(Function.DIVIDE, left(e), right(e));
    }
    if (e instanceof Modulo) {
      return Calls.arithmetic(Function.MODULO, left(e), right(e));
    }
    if (e instanceof Concat) {
      return Calls.stringFunction(Function.CONCAT_OP, List.of(left(e), right(e)));
    }
    if (e instanceof EqualsTo) {
      return Calls.compare(Function.EQ, left(e), right(e));
    }
    if (e instanceof NotEqualsTo) {
      return Calls.compare(Function.NE, left(e), right(e));
    }
    if (e instanceof GreaterThan) {
      return Calls.compare(Function.GT, left(e), right(e));
    }
    if (e instanceof GreaterThanEquals) {
      return Calls.compare(Function.GE, left(e), right(e));
    }
    if (e instanceof MinorThan) {
      return Calls.compare(Function.LT, left(e), right(e));
    }
    if (e instanceof MinorThanEquals) {
      return Calls.compare(Function.LE, left(e), right(e));
    }
    if (e instanceof AndExpression) {
      return Calls.and(left(e), right(e));
    }
    if (e instanceof OrExpression) {
      return Calls.or(left(e), right(e));
    }
    if (e instanceof NotExpression) {
      return Calls.not(bind(((NotExpression) e).getExpression()));
    }
    if (e instanceof IsNullExpression) {
      IsNullExpression n = (IsNullExpression) e;
      return Calls.isNull(bind(n.getLeftExpression()), n.isNot());
    }
    if (e instanceof net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression) {
      net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression d =
          (net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression) e;
      return isDistinct(bind(d.getLeftExpression()), bind(d.getRightExpression()), !d.isNot());
    }
    if (e instanceof LikeExpression) {
      return like((LikeExpression) e);
    }
    if (e instanceof Between) {
      Between b = (Between) e;
      return Calls.between(bind(b.getLeftExpression()), bind(b.getBetweenExpressionStart()),
          bind(b.getBetweenExpressionEnd()), b.isNot());
    }
    if (e instanceof InExpression) {
      return in((InExpression) e);
    }
    if (e instanceof ExistsExpression) {
      ExistsExpression x = (ExistsExpression) e;
      Expr exists = new SubqueryExpr(SubqueryExpr.Kind.EXISTS, subquery(x.getRightExpression()), null);
      return x.isNot() ? Calls.not(exists) : exists;
    }
    if (e instanceof ParenthesedSelect) {
      LogicalPlan p = subquery(e);
      if (p.output().size() != 1) {
        throw KilnException.binding("a scalar subquery must return one column, this one returns " + p.output().size());
      }
      return new SubqueryExpr(SubqueryExpr.Kind.SCALAR, p, null);
    }
    if (e instanceof CaseExpression) {
      return caseExpr((CaseExpression) e);
    }
    if (e instanceof CastExpression) {
      return cast((CastExpression) e);
    }
    if (e instanceof IntervalExpression) {
      return interval((IntervalExpression) e);
    }
    if (e instanceof net.sf.jsqlparser.expression.TimeKeyExpression) {
      return now(((net.sf.jsqlparser.expression.TimeKeyExpression) e).getStringValue().toLowerCase(Locale.ROOT));
    }
    if (e instanceof ExtractExpression) {
      ExtractExpression x = (ExtractExpression) e;
      return Calls.extract(x.getName(), bind(x.getExpression()));
    }
    if (e instanceof TrimFunction) {
      return trim((TrimFunction) e);
    }
    if (e instanceof AnalyticExpression) {
      return analytic((AnalyticExpression) e);
    }
    if (e instanceof net.sf.jsqlparser.expression.Function) {
      return function((net.sf.jsqlparser.expression.Function) e);
    }
    throw KilnException.unsupported("expression " + e + " (" + e.getClass().getSimpleName() + ")");
  }

  private Expr left(Expression e) {
    return bind(((BinaryExpression) e).getLeftExpression());
  }

  private Expr right(Expression e) {
    return bind(((BinaryExpression) e).getRightExpression());
  }

  private Expr column(Column c) {
    String qualifier = c.getTable() == null ? null : c.getTable().getName();
    String name = c.getColumnName();
    if (qualifier == null && (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false"))) {
      return Literal.ofBoolean(name.equalsIgnoreCase("true"));
    }
    ColumnRef found = scope.find(qualifier, name);
    if (found == null) {
      if (qualifier != null && !scope.hasQualifier(qualifier)) {
        throw KilnException.binding("unknown table or alias " + qualifier + " in " + c + binder.positions.of(qualifier));
      }
      throw KilnException.binding("unknown column " + c + scope.suggestion(name) + binder.positions.of(name));
    }
    return found;
  }

  private static Expr numberLiteral(String text) {
    if (text.contains("e") || text.contains("E")) {
      return new Literal(Double.parseDouble(text), DataType.DOUBLE);
    }
    BigDecimal d = new BigDecimal(text);
    int scale = Math.max(0, d.scale());
    int precision = Math.max(d.precision(), scale);
    if (precision > 18) {
      return new Literal(d.doubleValue(), DataType.DOUBLE);
    }
    DataType t = DataType.decimal(precision, scale);
    return new Literal(d.setScale(scale).unscaledValue().longValueExact(), t);
  }

  private LogicalPlan subquery(Expression e) {
    if (!(e instanceof net.sf.jsqlparser.statement.select.Select)) {
      throw KilnException.unsupported("subquery " + e);
    }
    return binder.bindSubquery((net.sf.jsqlparser.statement.select.Select) e, scope, ctes);
  }

  private Expr like(LikeExpression l) {
    if (l.getEscape() != null) {
      throw KilnException.unsupported("LIKE ... ESCAPE");
    }
    Expr value = bind(l.getLeftExpression());
    Expr pattern = bind(l.getRightExpression());
    String keyword = l.getLikeKeyWord() == null ? "LIKE" : l.getLikeKeyWord().toString();
    if (keyword.equalsIgnoreCase("ILIKE")) {
      value = Calls.stringFunction(Function.LOWER, List.of(value));
      pattern = Calls.stringFunction(Function.LOWER, List.of(pattern));
    } else if (!keyword.equalsIgnoreCase("LIKE")) {
      throw KilnException.unsupported(keyword);
    }
    return Calls.like(value, pattern, l.isNot());
  }

  private Expr in(InExpression in) {
    Expression right = in.getRightExpression();
    if (right instanceof BinaryExpression) {
      // JSqlParser 5.3 reads "x IN (list) AND rest" as "x IN ((list) AND rest)". IN binds tighter
      // than any binary operator, so the list is the leftmost operand: re-associate and bind that.
      BinaryExpression deepest = (BinaryExpression) right;
      while (deepest.getLeftExpression() instanceof BinaryExpression) {
        deepest = (BinaryExpression) deepest.getLeftExpression();
      }
      Expression list = deepest.getLeftExpression();
      InExpression fixed = new InExpression(in.getLeftExpression(), list);
      fixed.setNot(in.isNot());
      substitutes.put(list, fixed);
      try {
        return bind(right);
      } finally {
        substitutes.remove(list); // still there if binding failed before reaching it
      }
    }
    Expr needle = bind(in.getLeftExpression());
    if (right instanceof ParenthesedSelect) {
      LogicalPlan p = subquery(right);
      if (p.output().size() != 1) {
        throw KilnException.binding("the subquery of IN must return one column, this one returns " + p.output().size());
      }
      Calls.comparisonType(needle, p.output().get(0), "compare with IN");
      Expr sub = new SubqueryExpr(SubqueryExpr.Kind.IN, p, needle);
      return in.isNot() ? Calls.not(sub) : sub;
    }
    if (right instanceof ExpressionList) {
      List<Expr> items = new ArrayList<>();
      for (Object o : (ExpressionList<?>) right) {
        items.add(bind((Expression) o));
      }
      return Calls.inList(needle, items, in.isNot());
    }
    throw KilnException.unsupported("IN " + right);
  }

  private Expr caseExpr(CaseExpression c) {
    Expr subject = c.getSwitchExpression() == null ? null : bind(c.getSwitchExpression());
    List<Expr> conditions = new ArrayList<>();
    List<Expr> results = new ArrayList<>();
    for (WhenClause w : c.getWhenClauses()) {
      Expr when = bind(w.getWhenExpression());
      conditions.add(subject == null ? when : Calls.compare(Function.EQ, subject, when));
      results.add(bind(w.getThenExpression()));
    }
    Expr otherwise = c.getElseExpression() == null ? null : bind(c.getElseExpression());
    return Calls.caseWhen(conditions, results, otherwise);
  }

  private Expr cast(CastExpression c) {
    DataType target = typeOf(c.getColDataType());
    Expr value = bind(c.getLeftExpression());
    if (value.type().id() == DataType.Id.NULL) {
      return Literal.nullOf(target);
    }
    // JSqlParser keeps the keyword: CAST, TRY_CAST or SAFE_CAST (BigQuery's TRY_CAST)
    String keyword = c.keyword == null ? "CAST" : c.keyword.toUpperCase(Locale.ROOT);
    return keyword.equals("TRY_CAST") || keyword.equals("SAFE_CAST") ? Calls.tryCast(value, target)
        : Calls.cast(value, target);
  }

  static DataType typeOf(ColDataType t) {
    String raw = t.getDataType().toLowerCase(Locale.ROOT).trim();
    List<String> args = t.getArgumentsStringList();
    String name = raw;
    int paren = raw.indexOf('(');
    if (paren >= 0) {
      String inside = raw.substring(paren + 1, raw.lastIndexOf(')'));
      args = new ArrayList<>();
      for (String a : inside.split(",")) {
        args.add(a.trim());
      }
      name = raw.substring(0, paren).trim();
    }
    switch (name) {
      case "boolean": case "bool":
        return DataType.BOOLEAN;
      case "tinyint": case "int1":
        return DataType.TINYINT;
      case "smallint": case "int2":
        return DataType.SMALLINT;
      case "int": case "integer": case "int4":
        return DataType.INTEGER;
      case "bigint": case "int8": case "long":
        return DataType.BIGINT;
      case "real": case "float4": case "float":
        return DataType.REAL;
      case "double": case "float8": case "double precision":
        return DataType.DOUBLE;
      case "decimal": case "numeric": {
        int p = args != null && !args.isEmpty() ? Integer.parseInt(args.get(0)) : 18;
        int s = args != null && args.size() > 1 ? Integer.parseInt(args.get(1)) : (args != null && !args.isEmpty() ? 0 : 3);
        if (s > 18) {
          throw KilnException.unsupported("DECIMAL scale above 18");
        }
        return DataType.decimal(p, s);
      }
      case "varchar": case "text": case "string": case "char": case "character varying": case "character": case "bpchar":
        return DataType.VARCHAR;
      case "date":
        return DataType.DATE;
      case "timestamp": case "datetime":
        return DataType.TIMESTAMP;
      default:
        throw KilnException.unsupported("type " + t);
    }
  }

  private Expr interval(IntervalExpression i) {
    String text = i.getParameter();
    String unit = i.getIntervalType();
    if (text == null && i.getExpression() != null) {
      Expr value = bind(i.getExpression());
      if (!(value instanceof Literal) || !value.type().isInteger()) {
        throw KilnException.unsupported("INTERVAL with a non-constant amount: " + i);
      }
      text = String.valueOf(((Literal) value).value());
    }
    Matcher m = INTERVAL_TEXT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw KilnException.syntax("cannot read interval " + i);
    }
    long amount = Long.parseLong(m.group(1));
    if (unit == null || unit.isEmpty()) {
      unit = m.group(2);
    }
    switch (unit.toLowerCase(Locale.ROOT).replaceAll("s$", "")) {
      case "day":
        return new Literal(new Interval(0, amount), DataType.INTERVAL);
      case "week":
        return new Literal(new Interval(0, amount * 7), DataType.INTERVAL);
      case "month":
        return new Literal(new Interval(Math.toIntExact(amount), 0), DataType.INTERVAL);
      case "year":
        return new Literal(new Interval(Math.toIntExact(amount * 12), 0), DataType.INTERVAL);
      default:
        throw KilnException.unsupported("INTERVAL unit " + unit + " (use DAY, MONTH or YEAR)");
    }
  }

  private Expr trim(TrimFunction t) {
    Expression value = t.getFromExpression() != null ? t.getFromExpression() : t.getExpression();
    if (t.getFromExpression() != null && t.getExpression() != null) {
      Expr chars = bind(t.getExpression());
      if (!(chars instanceof Literal) || !" ".equals(((Literal) chars).value())) {
        throw KilnException.unsupported("TRIM of characters other than spaces");
      }
    }
    Function f = Function.TRIM;
    if (t.getTrimSpecification() != null) {
      switch (t.getTrimSpecification()) {
        case LEADING: f = Function.LTRIM; break;
        case TRAILING: f = Function.RTRIM; break;
        default: break;
      }
    }
    return Calls.stringFunction(f, List.of(bind(value)));
  }

  private Expr analytic(AnalyticExpression a) {
    if (a.getWindowElement() != null || a.getPartitionExpressionList() != null || a.getOrderByElements() != null
        || a.getType() != net.sf.jsqlparser.expression.AnalyticType.FILTER_ONLY) {
      if (windows == null) {
        throw KilnException.binding("window function " + a.getName() + " is not allowed " + windowsRefused
            + binder.positions.of("over"));
      }
      // Arguments and window keys may hold aggregates (over the groups), never another window function.
      ExprBinder args = new ExprBinder(binder, scope, ctes, aggregates);
      args.aggregatesRefused = aggregatesRefused;
      args.windowsRefused = "inside another window function";
      Expr bound = windows.bind(a, args);
      sawAggregate |= args.sawAggregate;
      return bound;
    }
    List<Expression> args = new ArrayList<>();
    boolean star = a.getExpression() instanceof AllColumns || a.isAllColumns();
    if (!star && a.getExpression() != null) {
      args.add(a.getExpression());
    }
    if (a.getOffset() != null) {
      args.add(a.getOffset()); // JSqlParser's place for a second argument: string_agg(s, ',') FILTER (...)
    }
    return aggregate(a.getName(), args, star, a.isDistinct(), a.getFilterExpression(), a.getFuncOrderBy());
  }

  /**
   * current_date and current_timestamp (now()): the session clock when the statement is bound,
   * so every row and every use in one statement see the same instant, as in DuckDB.
   */
  private Expr now(String key) {
    java.time.LocalDateTime now = binder.statementStart;
    switch (key) {
      case "current_date":
        return new Literal(now.toLocalDate().toEpochDay(), DataType.DATE);
      case "current_timestamp": case "now": case "localtimestamp": case "get_current_timestamp":
        return new Literal(io.kiln.types.Timestamps.toMicros(now), DataType.TIMESTAMP);
      default:
        throw KilnException.unsupported(key.toUpperCase(Locale.ROOT) + " (current_date and current_timestamp are known)");
    }
  }

  private Expr function(net.sf.jsqlparser.expression.Function f) {
    String name = f.getName().toLowerCase(Locale.ROOT);
    List<Expression> params = new ArrayList<>();
    boolean star = f.isAllColumns();
    if (f.getParameters() != null) {
      for (Object o : f.getParameters()) {
        if (o instanceof AllColumns) {
          star = true;
        } else {
          params.add((Expression) o);
        }
      }
    }
    if (f.getNamedParameters() != null) {
      // substring(x FROM a FOR b)
      for (Object o : f.getNamedParameters().getExpressions()) {
        params.add((Expression) o);
      }
    }
    if (Binder.AGGREGATE_NAMES.contains(name) || binder.functions().aggregate(name) != null) {
      return aggregate(name, params, star, f.isDistinct(), null, f.getOrderByElements());
    }
    if (name.equals("grouping") || name.equals("grouping_id")) {
      if (aggregates == null) {
        throw KilnException.binding("GROUPING belongs in the select list, HAVING or ORDER BY of a query with GROUP BY"
            + binder.positions.of("grouping"));
      }
      List<Expr> keys = new ArrayList<>();
      ExprBinder plain = new ExprBinder(binder, scope, ctes, null);
      for (Expression p : params) {
        keys.add(plain.bind(p));
      }
      return aggregates.grouping(keys, binder.positions);
    }
    List<Expr> args = new ArrayList<>();
    for (Expression p : params) {
      args.add(bind(p));
    }
    ScalarUdf udf = binder.functions().scalar(name);
    if (udf != null) {
      // a user function of a built-in's name replaces it in its session, as the user asked
      try {
        return UdfCall.bind(udf, args);
      } catch (KilnException e) {
        throw new KilnException(e.kind(), e.detail() + binder.positions.of(name), e);
      }
    }
    switch (name) {
      case "coalesce":
        if (args.isEmpty()) {
          throw KilnException.binding("coalesce needs at least one argument");
        }
        return Calls.coalesce(args);
      case "ifnull":
        return Calls.coalesce(args);
      case "nullif":
        if (args.size() != 2) {
          throw KilnException.binding("nullif takes 2 arguments");
        }
        return Calls.nullif(args.get(0), args.get(1));
      case "substring": case "substr":
        return Calls.stringFunction(Function.SUBSTRING, args);
      case "upper": case "ucase":
        return Calls.stringFunction(Function.UPPER, args);
      case "lower": case "lcase":
        return Calls.stringFunction(Function.LOWER, args);
      case "trim":
        return Calls.stringFunction(Function.TRIM, args);
      case "ltrim":
        return Calls.stringFunction(Function.LTRIM, args);
      case "rtrim":
        return Calls.stringFunction(Function.RTRIM, args);
      case "length": case "char_length": case "character_length": case "len": case "strlen":
        return Calls.stringFunction(Function.LENGTH, args);
      case "concat":
        return Calls.stringFunction(Function.CONCAT, args);
      case "abs":
        return Calls.math(Function.ABS, args);
      case "round":
        return Calls.math(Function.ROUND, args);
      case "floor":
        return Calls.math(Function.FLOOR, args);
      case "ceil": case "ceiling":
        return Calls.math(Function.CEIL, args);
      case "date":
        if (args.size() != 1) {
          throw KilnException.binding("date takes 1 argument");
        }
        return Calls.cast(args.get(0), DataType.DATE);
      case "year": case "month": case "day": case "quarter":
        if (args.size() != 1) {
          throw KilnException.binding(name + " takes 1 argument");
        }
        return Calls.extract(name, args.get(0));
      case "position": // POSITION(needle IN haystack)
        return FunctionCalls.of("strpos", args.size() == 2 ? List.of(args.get(1), args.get(0)) : args);
      case "now": case "today": case "current_date": case "current_timestamp": case "get_current_timestamp":
        if (!args.isEmpty()) {
          throw KilnException.binding(name + " takes no arguments");
        }
        return now(name.equals("today") ? "current_date" : name);
      default: {
        Expr call = FunctionCalls.of(name, args);
        if (call == null) {
          throw KilnException.unsupported("function " + name + binder.positions.of(name));
        }
        return call;
      }
    }
  }

  private Expr aggregate(String name, List<Expression> params, boolean star, boolean distinct, Expression filter,
      List<net.sf.jsqlparser.statement.select.OrderByElement> orderBy) {
    name = name.toLowerCase(Locale.ROOT);
    if (aggregates == null) {
      throw KilnException.binding("aggregate function " + name + " is not allowed " + aggregatesRefused
          + binder.positions.of(name));
    }
    sawAggregate = true;
    // Aggregate arguments see the FROM columns, never other aggregates.
    ExprBinder argBinder = new ExprBinder(binder, scope, ctes, null);
    argBinder.windowsRefused = "inside an aggregate function";
    List<Expr> args = new ArrayList<>();
    if (!star) {
      if (params.isEmpty()) {
        throw KilnException.binding(name + " needs an argument" + binder.positions.of(name));
      }
      for (Expression p : params) {
        args.add(argBinder.bind(p));
      }
    }
    Expr filterExpr = filter == null ? null : Calls.requireBoolean(argBinder.bind(filter), "FILTER");
    AggregateCall.ValueOrder order = AggregateCall.ValueOrder.AS_READ;
    if (orderBy != null && !orderBy.isEmpty()) {
      // string_agg(x ORDER BY x): sorting by anything but the value itself is not there yet
      if (orderBy.size() != 1 || args.isEmpty() || !argBinder.bind(orderBy.get(0).getExpression()).equals(args.get(0))) {
        throw KilnException.unsupported("ORDER BY inside " + name + " other than by its first argument"
            + binder.positions.of(name));
      }
      order = orderBy.get(0).isAsc() ? AggregateCall.ValueOrder.ASCENDING : AggregateCall.ValueOrder.DESCENDING;
    }
    AggregateCall call;
    try {
      AggregateUdf udf = binder.functions().aggregate(name);
      if (udf != null && (star || distinct || order != AggregateCall.ValueOrder.AS_READ)) {
        throw KilnException.unsupported("user aggregate " + udf.signature() + " takes one value: no *, DISTINCT or "
            + "ORDER BY");
      }
      call = udf != null ? AggregateCall.udf(udf, args, filterExpr)
          : AggregateCalls.make(name, args, distinct, filterExpr, order);
    } catch (KilnException e) {
      throw e.kind() == KilnException.Kind.BINDING || e.kind() == KilnException.Kind.UNSUPPORTED
          ? new KilnException(e.kind(), e.detail() + binder.positions.of(name), e) : e;
    }
    return aggregates.addCall(call);
  }

  /**
   * {@code a IS [NOT] DISTINCT FROM b}: equality where NULL equals NULL, never NULL itself; written
   * as a CASE over the NULL tests, so every kernel that evaluates CASE runs it.
   */
  private static Expr isDistinct(Expr a, Expr b, boolean distinct) {
    Expr aNull = Calls.isNull(a, false);
    Expr bNull = Calls.isNull(b, false);
    Expr same = Calls.caseWhen(List.of(Calls.and(aNull, bNull), Calls.or(aNull, bNull)),
        List.of(io.kiln.logical.Literal.ofBoolean(true), io.kiln.logical.Literal.ofBoolean(false)),
        Calls.compare(io.kiln.logical.Function.EQ, a, b));
    return distinct ? Calls.not(same) : same;
  }
}
