package io.kiln.codegen;

import io.kiln.catalog.ScalarUdf;
import io.kiln.data.Bytes;
import io.kiln.data.LikePattern;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import io.kiln.logical.UdfCall;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.PhysicalKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Row-at-a-time Java code for one expression, with SQL NULL semantics. Hot operations (exact
 * arithmetic, comparisons, AND/OR/NOT, CASE, IN, LIKE, casts between numbers) become inline code;
 * the rare functions call the interpreter's own row functions on boxed values, so the two modes
 * cannot disagree on them.
 */
final class ExprGenerator {
  private static final String RT = "io.kiln.codegen.runtime.Rt";
  private static final String STRS = "io.kiln.codegen.runtime.Strs";
  private static final String DECIMALS = "io.kiln.types.Decimals";
  private static final String BYTES = Bytes.class.getName();

  /** Where the values of input columns come from. */
  interface Columns {
    Val column(ColumnRef ref);
  }

  private final ClassBuilder cls;
  private final Columns columns;

  ExprGenerator(ClassBuilder cls, Columns columns) {
    this.cls = cls;
    this.columns = columns;
  }

  Val gen(Expr e, Code code) {
    if (e instanceof ColumnRef) {
      return columns.column((ColumnRef) e);
    }
    if (e instanceof Literal) {
      return literal((Literal) e);
    }
    if (e instanceof UdfCall) {
      return udf((UdfCall) e, code);
    }
    if (!(e instanceof Call)) {
      throw new CodegenException("no code generation for " + e);
    }
    Call c = (Call) e;
    switch (c.function()) {
      case ADD: case SUBTRACT: case MULTIPLY: case DIVIDE: case MODULO:
        return arithmetic(c, code);
      case NEGATE:
        return negate(c, code);
      case EQ: case NE: case LT: case LE: case GT: case GE: case IS_NOT_DISTINCT_FROM:
        return compare(c.function(), gen(c.arg(0), code), gen(c.arg(1), code), code);
      case AND: case OR:
        return andOr(c, code);
      case NOT: {
        Val a = gen(c.arg(0), code);
        return Val.of(DataType.BOOLEAN, "!" + a.value, a.isNull);
      }
      case IS_NULL:
        return Val.of(DataType.BOOLEAN, gen(c.arg(0), code).isNull, "false");
      case IS_NOT_NULL:
        return Val.of(DataType.BOOLEAN, "!" + gen(c.arg(0), code).isNull, "false");
      case LIKE:
        if (c.arg(1) instanceof Literal && !((Literal) c.arg(1)).isNull()) {
          return like(c, code);
        }
        return boxed(c, code);
      case IN_LIST:
        return inList(c, code);
      case CASE:
        return caseWhen(c, code);
      case COALESCE:
        return coalesce(c, code);
      case CAST:
        return cast(c, code);
      case TRY_CAST: {
        Val a = gen(c.arg(0), code);
        String fromRef = cls.ref(c.arg(0).type(), "io.kiln.types.DataType");
        String toRef = cls.ref(c.type(), "io.kiln.types.DataType");
        return unboxed(c.type(), RT + ".tryCast(" + a.boxed() + ", " + fromRef + ", " + toRef + ")", code);
      }
      case EXTRACT_YEAR:
        if (c.arg(0).type().id() == DataType.Id.DATE) {
          Val a = gen(c.arg(0), code);
          return strict(c.type(), RT + ".year(" + a.value + ")", List.of(a), code);
        }
        return boxed(c, code);
      default:
        return boxed(c, code);
    }
  }

  private Val literal(Literal l) {
    DataType t = l.type();
    if (l.isNull()) {
      return Val.of(t, Val.zero(t), "true");
    }
    Object v = l.value();
    switch (t.kind()) {
      case LONG:
        return Val.of(t, cls.ref(v, "long"), "false");
      case DOUBLE:
        return Val.of(t, cls.ref(v, "double"), "false");
      case BOOLEAN:
        return Val.of(t, cls.ref(v, "boolean"), "false");
      default:
        if (v instanceof String) {
          return Val.of(t, cls.ref(((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8), "byte[]"), "false");
        }
        throw new CodegenException("no code generation for literal " + l + " of " + v.getClass().getSimpleName());
    }
  }

  /** A result that is NULL when any input is, else {@code expr}, computed only for non-NULL inputs. */
  private Val strict(DataType type, String expr, List<Val> inputs, Code code) {
    String isNull = anyNull(inputs);
    if (isNull.equals("false")) {
      return Val.of(type, cls.var(code, Val.javaType(type), "v", expr), "false");
    }
    String n = cls.var(code, "boolean", "n", isNull);
    String v = cls.declare(code, Val.javaType(type), "v");
    code.open("if (!" + n + ")").line(v + " = " + expr + ";").close();
    return Val.of(type, v, n);
  }

  private static String anyNull(List<Val> inputs) {
    List<String> parts = new ArrayList<>();
    for (Val v : inputs) {
      if (v.isNull.equals("true")) {
        return "true";
      }
      if (!v.neverNull()) {
        parts.add(v.isNull);
      }
    }
    return parts.isEmpty() ? "false" : String.join(" || ", parts);
  }

  private Val arithmetic(Call c, Code code) {
    Val a = gen(c.arg(0), code);
    Val b = gen(c.arg(1), code);
    DataType t = c.type();
    String x = a.value;
    String y = b.value;
    Function f = c.function();
    if (t.kind() == PhysicalKind.DOUBLE) {
      switch (f) {
        case ADD: return strict(t, x + " + " + y, List.of(a, b), code);
        case SUBTRACT: return strict(t, x + " - " + y, List.of(a, b), code);
        case MULTIPLY: return strict(t, x + " * " + y, List.of(a, b), code);
        default: return nullOnZero(t, f == Function.DIVIDE ? x + " / " + y : x + " % " + y, a, b, "0.0", code);
      }
    }
    if (t.kind() != PhysicalKind.LONG) {
      throw new CodegenException("arithmetic on " + t);
    }
    boolean decimal = t.id() == DataType.Id.DECIMAL;
    switch (f) {
      case ADD:
        return strict(t, (decimal ? DECIMALS + ".add(" : "Math.addExact(") + x + ", " + y + ")", List.of(a, b), code);
      case SUBTRACT:
        return strict(t, (decimal ? DECIMALS + ".subtract(" : "Math.subtractExact(") + x + ", " + y + ")",
            List.of(a, b), code);
      case MULTIPLY:
        return strict(t, (decimal ? DECIMALS + ".multiply(" : "Math.multiplyExact(") + x + ", " + y + ")",
            List.of(a, b), code);
      case DIVIDE:
        return nullOnZero(t, DECIMALS + ".divide(" + x + ", " + a.type.scale() + ", " + y + ", " + b.type.scale() + ", "
            + t.scale() + ")", a, b, "0L", code);
      default:
        return nullOnZero(t, x + " % " + y, a, b, "0L", code);
    }
  }

  /** Division and modulo: NULL for a zero divisor, as in the interpreter (and DuckDB). */
  private Val nullOnZero(DataType t, String expr, Val a, Val b, String zero, Code code) {
    String n = cls.var(code, "boolean", "n", anyNull(List.of(a, b)));
    String v = cls.declare(code, Val.javaType(t), "v");
    code.open("if (!" + n + ")");
    code.open("if (" + b.value + " == " + zero + ")").line(n + " = true;").orElse().line(v + " = " + expr + ";").close();
    code.close();
    return Val.of(t, v, n);
  }

  private Val negate(Call c, Code code) {
    Val a = gen(c.arg(0), code);
    if (a.kind() == PhysicalKind.DOUBLE) {
      return strict(c.type(), "-" + a.value, List.of(a), code);
    }
    if (a.kind() == PhysicalKind.LONG) {
      return strict(c.type(), "Math.negateExact(" + a.value + ")", List.of(a), code);
    }
    return boxed(c, code);
  }

  /** -1/0/1-style comparison expression of two non-NULL values of one kind. */
  private static String comparison(Val a, Val b) {
    switch (a.kind()) {
      case LONG:
        return "Long.compare(" + a.value + ", " + b.value + ")";
      case DOUBLE:
        return "Double.compare(" + a.value + ", " + b.value + ")";
      case BOOLEAN:
        return "Boolean.compare(" + a.value + ", " + b.value + ")";
      default:
        if (a.isSlice() && b.isSlice()) {
          return STRS + ".compare(" + a.addr + ", " + a.len + ", " + b.addr + ", " + b.len + ")";
        }
        if (a.isSlice()) {
          return STRS + ".compare(" + a.addr + ", " + a.len + ", " + b.value + ")";
        }
        if (b.isSlice()) {
          return "-" + STRS + ".compare(" + b.addr + ", " + b.len + ", " + a.value + ")";
        }
        return STRS + ".compare(" + a.value + ", " + b.value + ")";
    }
  }

  private static String test(Function f, String cmp) {
    switch (f) {
      case EQ: case IS_NOT_DISTINCT_FROM: return cmp + " == 0";
      case NE: return cmp + " != 0";
      case LT: return cmp + " < 0";
      case LE: return cmp + " <= 0";
      case GT: return cmp + " > 0";
      default: return cmp + " >= 0";
    }
  }

  Val compare(Function f, Val a, Val b, Code code) {
    String expr;
    if (a.kind() == PhysicalKind.LONG && f != Function.IS_NOT_DISTINCT_FROM) {
      String op = f == Function.EQ ? "==" : f == Function.NE ? "!=" : f == Function.LT ? "<"
          : f == Function.LE ? "<=" : f == Function.GT ? ">" : ">=";
      expr = a.value + " " + op + " " + b.value;
    } else if (a.kind() == PhysicalKind.STRING && (f == Function.EQ || f == Function.NE) && a.isSlice() != b.isSlice()) {
      Val s = a.isSlice() ? a : b;
      Val k = a.isSlice() ? b : a;
      expr = (f == Function.NE ? "!" : "") + BYTES + ".equals(" + s.addr + ", " + s.len + ", " + k.value + ")";
    } else {
      expr = test(f, comparison(a, b));
    }
    if (f == Function.IS_NOT_DISTINCT_FROM) {
      String both = "(" + a.isNull + ") && (" + b.isNull + ")";
      String one = "(" + a.isNull + ") || (" + b.isNull + ")";
      return Val.of(DataType.BOOLEAN, cls.var(code, "boolean", "v", both + " || (!(" + one + ") && " + expr + ")"),
          "false");
    }
    return strict(DataType.BOOLEAN, expr, List.of(a, b), code);
  }

  /** AND/OR with three-valued logic; the right side is evaluated only when the left does not decide. */
  private Val andOr(Call c, Code code) {
    boolean and = c.function() == Function.AND;
    Val a = gen(c.arg(0), code);
    for (int k = 1; k < c.args().size(); k++) {
      String v = cls.declare(code, "boolean", "v");
      String n = cls.declare(code, "boolean", "n");
      // The left side decides: FALSE for AND, TRUE for OR.
      code.open("if (!(" + a.isNull + ") && " + (and ? "!" : "") + a.value + ")");
      code.line(v + " = " + (and ? "false" : "true") + ";").line(n + " = false;");
      code.orElse();
      Val b = gen(c.arg(k), code);
      code.open("if (!(" + b.isNull + ") && " + (and ? "!" : "") + b.value + ")");
      code.line(v + " = " + (and ? "false" : "true") + ";").line(n + " = false;");
      code.orElse();
      code.line(n + " = (" + a.isNull + ") || (" + b.isNull + ");");
      code.line(v + " = " + (and ? "true" : "false") + ";");
      code.close();
      code.close();
      a = Val.of(DataType.BOOLEAN, v, n);
    }
    return a;
  }

  private Val like(Call c, Code code) {
    Val a = gen(c.arg(0), code);
    String pattern = cls.ref(new LikePattern((String) ((Literal) c.arg(1)).value()),
        LikePattern.class.getName());
    String expr = a.isSlice() ? pattern + ".matchesAt(" + a.addr + ", " + a.len + ")"
        : pattern + ".matches(" + a.value + ", 0, " + a.value + ".length)";
    return strict(DataType.BOOLEAN, expr, List.of(a), code);
  }

  private Val inList(Call c, Code code) {
    List<Expr> items = c.args().subList(1, c.args().size());
    boolean constant = true;
    boolean listHasNull = false;
    for (Expr i : items) {
      constant &= i instanceof Literal;
      listHasNull |= i instanceof Literal && ((Literal) i).isNull();
    }
    PhysicalKind kind = c.arg(0).type().kind();
    if (!constant || kind == PhysicalKind.BOOLEAN) {
      // x IN (a, b) is x = a OR x = b under three-valued logic.
      List<Expr> ors = new ArrayList<>();
      for (Expr i : items) {
        ors.add(Call.of(Function.EQ, DataType.BOOLEAN, c.arg(0), i));
      }
      Expr or = ors.get(0);
      for (int k = 1; k < ors.size(); k++) {
        or = Call.of(Function.OR, DataType.BOOLEAN, or, ors.get(k));
      }
      return gen(or, code);
    }
    Val a = gen(c.arg(0), code);
    String found;
    if (kind == PhysicalKind.LONG) {
      long[] values = items.stream().filter(i -> !((Literal) i).isNull())
          .mapToLong(i -> (Long) ((Literal) i).value()).sorted().toArray();
      String k = cls.ref(values, "long[]");
      found = values.length <= 8 ? "io.kiln.codegen.runtime.Lists.contains(" + k + ", " + a.value + ")"
          : "java.util.Arrays.binarySearch(" + k + ", " + a.value + ") >= 0";
    } else if (kind == PhysicalKind.DOUBLE) {
      double[] values = items.stream().filter(i -> !((Literal) i).isNull())
          .mapToDouble(i -> (Double) ((Literal) i).value()).toArray();
      found = "io.kiln.codegen.runtime.Lists.contains(" + cls.ref(values, "double[]") + ", " + a.value + ")";
    } else {
      List<byte[]> values = new ArrayList<>();
      for (Expr i : items) {
        if (!((Literal) i).isNull()) {
          values.add(((String) ((Literal) i).value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      String k = cls.ref(values.toArray(new byte[0][]), "byte[][]");
      found = a.isSlice() ? "io.kiln.codegen.runtime.Lists.contains(" + k + ", " + a.addr + ", " + a.len + ")"
          : "io.kiln.codegen.runtime.Lists.contains(" + k + ", " + a.value + ")";
    }
    String n = cls.var(code, "boolean", "n", a.isNull);
    String v = cls.declare(code, "boolean", "v");
    code.open("if (!" + n + ")");
    code.line(v + " = " + found + ";");
    if (listHasNull) {
      code.line(n + " = !" + v + ";");
    }
    code.close();
    return Val.of(DataType.BOOLEAN, v, n);
  }

  /** Assigns a value to declared result variables (strings as byte[]). */
  private static void assign(Code code, String v, String n, Val from) {
    code.line(n + " = " + from.isNull + ";");
    if (from.kind() == PhysicalKind.STRING) {
      if (from.neverNull()) {
        code.line(v + " = " + from.bytes() + ";");
      } else {
        code.open("if (!" + n + ")").line(v + " = " + from.bytes() + ";").close();
      }
    } else {
      code.line(v + " = " + from.value + ";");
    }
  }

  private Val caseWhen(Call c, Code code) {
    DataType t = c.type();
    String v = cls.declare(code, Val.javaType(t), "v");
    String n = cls.declare(code, "boolean", "n");
    int pairs = (c.args().size() - 1) / 2;
    for (int p = 0; p < pairs; p++) {
      Val cond = gen(c.arg(2 * p), code);
      code.open("if (!(" + cond.isNull + ") && " + cond.value + ")");
      assign(code, v, n, gen(c.arg(2 * p + 1), code));
      code.orElse();
    }
    assign(code, v, n, gen(c.arg(c.args().size() - 1), code));
    for (int p = 0; p < pairs; p++) {
      code.close();
    }
    return Val.of(t, v, n);
  }

  private Val coalesce(Call c, Code code) {
    DataType t = c.type();
    String v = cls.declare(code, Val.javaType(t), "v");
    String n = cls.declare(code, "boolean", "n");
    int last = c.args().size() - 1;
    for (int k = 0; k < last; k++) {
      Val a = gen(c.arg(k), code);
      code.open("if (!(" + a.isNull + "))");
      assign(code, v, n, a);
      code.orElse();
    }
    assign(code, v, n, gen(c.arg(last), code));
    for (int k = 0; k < last; k++) {
      code.close();
    }
    return Val.of(t, v, n);
  }

  private Val cast(Call c, Code code) {
    DataType from = c.arg(0).type();
    DataType to = c.type();
    Val a = gen(c.arg(0), code);
    if (from.equals(to)) {
      return a;
    }
    if (from.kind() == PhysicalKind.LONG && to.kind() == PhysicalKind.LONG && from.isExactNumeric()
        && to.isExactNumeric() && (to.id() == DataType.Id.DECIMAL || to.id() == DataType.Id.BIGINT)
        && (to.id() == DataType.Id.DECIMAL || from.id() != DataType.Id.DECIMAL)) {
      long max = to.precision() < 19 ? Decimals.pow10(to.precision()) - 1 : Long.MAX_VALUE;
      String target = cls.ref(to, "io.kiln.types.DataType");
      return strict(to, DECIMALS + ".rescaleWithin(" + a.value + ", " + from.scale() + ", " + to.scale() + ", " + max + "L, "
          + target + ")", List.of(a), code);
    }
    if (from.kind() == PhysicalKind.LONG && from.isExactNumeric() && to.id() == DataType.Id.DOUBLE) {
      return strict(to, DECIMALS + ".toDouble(" + a.value + ", " + from.scale() + ")", List.of(a), code);
    }
    String fromRef = cls.ref(from, "io.kiln.types.DataType");
    String toRef = cls.ref(to, "io.kiln.types.DataType");
    return unboxed(to, RT + ".cast(" + a.boxed() + ", " + fromRef + ", " + toRef + ")", code);
  }

  /** Any other function: the interpreter's row function on boxed values. */
  private Val boxed(Call c, Code code) {
    int k = c.args().size();
    String args = cls.field("Object[]", "args", "new Object[" + k + "]");
    for (int i = 0; i < k; i++) {
      Expr arg = c.arg(i);
      String value;
      if (arg instanceof Literal) {
        Object v = ((Literal) arg).value();
        value = v == null ? "null" : cls.ref(v, "Object");
      } else {
        value = gen(arg, code).boxed();
      }
      code.line(args + "[" + i + "] = " + value + ";");
    }
    List<DataType> argTypes = new ArrayList<>();
    for (Expr a : c.args()) {
      argTypes.add(a.type());
    }
    String f = cls.ref(c.function(), "io.kiln.logical.Function");
    String types = cls.ref(List.copyOf(argTypes), "java.util.List");
    String type = cls.ref(c.type(), "io.kiln.types.DataType");
    return unboxed(c.type(), RT + ".apply(" + f + ", " + args + ", " + types + ", " + type + ")", code);
  }

  /**
   * A user function: its arguments boxed as engine values, then a direct call of the function
   * object held in the class's refs (ScalarUdf.invoke converts to and from the user's Java values).
   */
  private Val udf(UdfCall c, Code code) {
    c.function().requireRegistered();
    int k = c.args().size();
    String args = cls.field("Object[]", "args", "new Object[" + k + "]");
    for (int i = 0; i < k; i++) {
      code.line(args + "[" + i + "] = " + gen(c.args().get(i), code).boxed() + ";");
    }
    String f = cls.ref(c.function(), ScalarUdf.class.getName());
    return unboxed(c.type(), f + ".invoke(" + args + ")", code);
  }

  private Val unboxed(DataType t, String objectExpr, Code code) {
    String o = cls.var(code, "Object", "o", objectExpr);
    String n = cls.var(code, "boolean", "n", o + " == null");
    String v = cls.declare(code, Val.javaType(t), "v");
    code.open("if (!" + n + ")").line(v + " = " + Val.unbox(t, o) + ";").close();
    return Val.of(t, v, n);
  }
}
