package io.kiln.optimizer;

import io.kiln.data.LikePattern;
import io.kiln.logical.Call;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import io.kiln.logical.ScalarFunctions;
import io.kiln.types.Casts;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.PhysicalKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates one call whose arguments are all literals, over engine values (Long, Double, Boolean,
 * String, Interval), so constant folding needs no vectors, allocator or physical evaluator.
 *
 * <p>The result is the one the interpreter computes for the same call on any row. Where the
 * interpreter runs per-value code (the row functions, casts, decimal division, LIKE matching) this
 * calls that very code; the vectorized kernels (arithmetic, comparison, three-valued logic, IN,
 * CASE) are restated here for one value, and ConstantEvaluatorTest checks them against the
 * interpreter. Whatever the interpreter would fail on (overflow, a bad cast, a value that is not
 * of its type's kind) throws here too, and the caller leaves the call for run time.
 */
final class ConstantEvaluator {
  private ConstantEvaluator() {}

  /** The value of {@code c}, whose arguments must all be {@link Literal}s; null is SQL NULL. */
  static Object evaluate(Call c) {
    int n = c.args().size();
    Object[] raw = new Object[n];
    List<DataType> types = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Literal l = (Literal) c.arg(i);
      raw[i] = l.value();
      types.add(l.type());
    }
    return ofKind(apply(c.function(), raw, types, c.type()), c.type());
  }

  private static Object apply(Function f, Object[] raw, List<DataType> types, DataType type) {
    switch (f) {
      case ADD: case SUBTRACT: case MULTIPLY: case DIVIDE: case MODULO:
        // the kernel reads both operands as vectors of the result's kind
        return arithmetic(f, operand(raw, types, 0, type.kind()), operand(raw, types, 1, type.kind()), types, type);
      case EQ: case NE: case LT: case LE: case GT: case GE:
        // a constant right side is used as it is, in the left side's kind
        return compare(f, ofKind(raw[0], types.get(0)), raw[1], types.get(0));
      case IS_NOT_DISTINCT_FROM:
        return notDistinct(ofKind(raw[0], types.get(0)), ofKind(raw[1], types.get(1)), types.get(0));
      case AND: case OR:
        return logic(f == Function.AND, (Boolean) operand(raw, types, 0, PhysicalKind.BOOLEAN),
            (Boolean) operand(raw, types, 1, PhysicalKind.BOOLEAN));
      case NOT: {
        Boolean a = (Boolean) operand(raw, types, 0, PhysicalKind.BOOLEAN);
        return a == null ? null : !a;
      }
      case IS_NULL:
        return ofKind(raw[0], types.get(0)) == null;
      case IS_NOT_NULL:
        return ofKind(raw[0], types.get(0)) != null;
      case LIKE: {
        String value = (String) operand(raw, types, 0, PhysicalKind.STRING);
        // a constant pattern is compiled as it is; a NULL one is read as a vector of strings
        String pattern = raw[1] != null ? (String) raw[1] : (String) operand(raw, types, 1, PhysicalKind.STRING);
        return like(value, pattern);
      }
      case IN_LIST:
        // the list, all constants, is a set of the literals' own values
        return in(ofKind(raw[0], types.get(0)), Arrays.asList(raw).subList(1, raw.length));
      case CASE:
        return caseWhen(raw, types);
      case CAST:
        return cast(ofKind(raw[0], types.get(0)), types.get(0), type);
      case TRY_CAST:
        try {
          return cast(ofKind(raw[0], types.get(0)), types.get(0), type);
        } catch (io.kiln.error.KilnException e) {
          return null; // what TRY_CAST gives for a value that cannot be converted
        }
      default:
        // row functions take the literals' values as they are
        return rowFunction(f, raw, types, type);
    }
  }

  /** + - * / % as ArithmeticEvaluator: exact on longs (overflow fails), NULL on division by zero. */
  private static Object arithmetic(Function f, Object a, Object b, List<DataType> types, DataType type) {
    if (a == null || b == null) {
      return null;
    }
    if (type.kind() == PhysicalKind.DOUBLE) {
      double x = (Double) a;
      double y = (Double) b;
      switch (f) {
        case ADD: return x + y;
        case SUBTRACT: return x - y;
        case MULTIPLY: return x * y;
        case DIVIDE: return y != 0 ? x / y : null;
        default: return y != 0 ? x % y : null;
      }
    }
    long x = (Long) a;
    long y = (Long) b;
    switch (f) {
      case ADD: return Math.addExact(x, y);
      case SUBTRACT: return Math.subtractExact(x, y);
      case MULTIPLY: return Math.multiplyExact(x, y);
      case DIVIDE: return y != 0 ? Decimals.divide(x, types.get(0).scale(), y, types.get(1).scale(), type.scale()) : null;
      default: return y != 0 ? x % y : null;
    }
  }

  /** a op b as ComparisonEvaluator with a constant right side: NULL if either side is. */
  private static Boolean compare(Function f, Object a, Object b, DataType type) {
    if (a == null || b == null) {
      return null;
    }
    int c = order(a, b, type);
    switch (f) {
      case EQ: return c == 0;
      case NE: return c != 0;
      case LT: return c < 0;
      case LE: return c <= 0;
      case GT: return c > 0;
      default: return c >= 0;
    }
  }

  private static Boolean notDistinct(Object a, Object b, DataType type) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    return order(a, b, type) == 0;
  }

  /** The order the kernels compare in: numbers as Long/Double.compare, strings by unsigned UTF-8 bytes. */
  private static int order(Object a, Object b, DataType type) {
    switch (type.kind()) {
      case LONG: return Long.compare((Long) a, (Long) b);
      case DOUBLE: return Double.compare((Double) a, (Double) b);
      case BOOLEAN: return Boolean.compare((Boolean) a, (Boolean) b);
      default: return Arrays.compareUnsigned(utf8((String) a), utf8((String) b));
    }
  }

  /** AND / OR in three-valued logic: the dominant value (FALSE for AND) wins over NULL. */
  private static Boolean logic(boolean and, Boolean a, Boolean b) {
    boolean dominant = !and;
    if (Boolean.valueOf(dominant).equals(a) || Boolean.valueOf(dominant).equals(b)) {
      return dominant;
    }
    return a == null || b == null ? null : !dominant;
  }

  private static Boolean like(String value, String pattern) {
    if (value == null || pattern == null) {
      return null;
    }
    byte[] b = utf8(value);
    return new LikePattern(pattern).matches(b, 0, b.length);
  }

  /** IN with SQL's NULL rules: TRUE on a match, else NULL if the list holds a NULL, else FALSE. */
  private static Boolean in(Object value, List<Object> list) {
    if (value == null) {
      return null;
    }
    if (list.contains(value)) {
      return true;
    }
    return list.contains(null) ? null : false;
  }

  /** args: when1, then1, ..., else; the first TRUE condition picks its result. */
  private static Object caseWhen(Object[] raw, List<DataType> types) {
    Object[] v = new Object[raw.length];
    for (int i = 0; i < raw.length; i++) {
      v[i] = ofKind(raw[i], types.get(i));
    }
    int pairs = (v.length - 1) / 2;
    for (int p = 0; p < pairs; p++) {
      if (Boolean.TRUE.equals(operand(v, types, 2 * p, PhysicalKind.BOOLEAN))) {
        return v[2 * p + 1];
      }
    }
    return v[v.length - 1];
  }

  private static Object cast(Object value, DataType from, DataType to) {
    if (value != null && Casts.isRescale(from, to)) {
      return Casts.rescale((Long) value, from, to);
    }
    return Casts.cast(value, from, to);
  }

  /** A function the interpreter evaluates row by row; most are NULL for any NULL argument. */
  private static Object rowFunction(Function f, Object[] raw, List<DataType> types, DataType type) {
    if (!ScalarFunctions.handlesNulls(f)) {
      for (Object a : raw) {
        if (a == null) {
          return null;
        }
      }
    }
    return ScalarFunctions.apply(f, raw, types, type);
  }

  /**
   * Argument {@code i} where the kernel reads it as a vector of {@code kind}: an argument of a type
   * of another kind, or a value of another class, fails as the kernel's vector cast would.
   */
  private static Object operand(Object[] raw, List<DataType> types, int i, PhysicalKind kind) {
    if (types.get(i).kind() != kind) {
      throw new ClassCastException(types.get(i) + " is not of kind " + kind);
    }
    return ofKind(raw[i], types.get(i));
  }

  /**
   * The value as a vector of {@code type}'s kind holds it: Long, Double, Boolean or String. A value
   * of another class could not be written to that vector, so it fails as the interpreter does.
   */
  private static Object ofKind(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    Class<?> expected;
    switch (type.kind()) {
      case LONG: expected = Long.class; break;
      case DOUBLE: expected = Double.class; break;
      case BOOLEAN: expected = Boolean.class; break;
      default: expected = String.class; break;
    }
    if (!expected.isInstance(v)) {
      throw new ClassCastException(v.getClass().getSimpleName() + " is not a value of " + type);
    }
    return v;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
