package io.kiln.codegen.runtime;

import io.kiln.error.KilnException;
import io.kiln.logical.Function;
import io.kiln.logical.ScalarFunctions;
import io.kiln.types.Casts;
import io.kiln.types.DataType;
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

  public static Object tryCast(Object value, DataType from, DataType to) {
    return value == null ? null : Casts.castOrNull(value, from, to);
  }

  public static long year(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).getYear();
  }

  /** The error for an integer overflow caught in generated arithmetic. */
  public static KilnException overflow(ArithmeticException e) {
    return KilnException.execution("integer overflow in arithmetic (" + e.getMessage() + ")");
  }
}
