package io.kiln.codegen.runtime;

import io.kiln.KilnException;
import io.kiln.logical.Function;
import io.kiln.physical.expr.ScalarFunctions;
import io.kiln.types.Casts;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import java.time.LocalDate;
import java.util.List;

/**
 * Row-level helpers that generated code calls: the boxed path for rare functions (the very same
 * code the interpreter runs, so both modes agree), casts, and the errors of exact arithmetic.
 */
public final class Rt {
  private Rt() {}

  /** A scalar function on boxed engine values (Long, Double, Boolean, String); null is SQL NULL. */
  public static Object apply(Function f, Object[] args, List argTypes, DataType type) {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null && !ScalarFunctions.handlesNulls(f)) {
        return null;
      }
    }
    try {
      @SuppressWarnings("unchecked")
      List<DataType> types = (List<DataType>) argTypes;
      return ScalarFunctions.apply(f, args, types, type);
    } catch (ArithmeticException e) {
      throw KilnException.execution("numeric overflow in " + f.symbol());
    }
  }

  public static Object cast(Object value, DataType from, DataType to) {
    return value == null ? null : Casts.cast(value, from, to);
  }

  /** An exact numeric cast between integer and decimal types, with the interpreter's range check. */
  public static long rescale(long v, int fromScale, int toScale, long max, DataType to) {
    long r = Decimals.rescale(v, fromScale, toScale);
    if (r > max || r < -max) {
      throw KilnException.execution("value " + Decimals.toBigDecimal(v, fromScale).toPlainString()
          + " does not fit in " + to);
    }
    return r;
  }

  public static long year(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).getYear();
  }

  /** The error for an integer overflow caught in generated arithmetic. */
  public static KilnException overflow(ArithmeticException e) {
    return KilnException.execution("integer overflow in arithmetic (" + e.getMessage() + ")");
  }

  public static long addDecimal(long a, long b) {
    return Decimals.add(a, b);
  }

  public static long subtractDecimal(long a, long b) {
    return Decimals.subtract(a, b);
  }

  public static long multiplyDecimal(long a, long b) {
    return Decimals.multiply(a, b);
  }

  public static long divide(long a, int sa, long b, int sb, int rs) {
    return Decimals.divide(a, sa, b, sb, rs);
  }
}
