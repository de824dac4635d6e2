package io.kiln.catalog;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The Java values user functions see and return, converted from and to the engine's values (every
 * integer, decimal, date and timestamp a Long). They are the classes results hand out: BIGINT as
 * Long, INTEGER as Integer, SMALLINT as Short, TINYINT as Byte, DOUBLE as Double, REAL as Float,
 * DECIMAL as BigDecimal, DATE as LocalDate, TIMESTAMP as LocalDateTime, VARCHAR as String,
 * BOOLEAN as Boolean. SQL NULL is Java null. An integer result may be any of the integer classes.
 */
public final class UdfValues {
  private UdfValues() {}

  /** Whether user functions may take or return values of {@code t}. */
  public static boolean supports(DataType t) {
    switch (t.id()) {
      case BOOLEAN: case TINYINT: case SMALLINT: case INTEGER: case BIGINT: case REAL: case DOUBLE: case DATE:
      case TIMESTAMP: case VARCHAR:
        return true;
      case DECIMAL:
        return t.precision() <= 18; // the engine's decimals are scaled longs
      default:
        return false;
    }
  }

  /** The Java class a value of {@code t} is handed to user code as. */
  public static Class<?> javaClass(DataType t) {
    switch (t.id()) {
      case BOOLEAN: return Boolean.class;
      case TINYINT: return Byte.class;
      case SMALLINT: return Short.class;
      case INTEGER: return Integer.class;
      case BIGINT: return Long.class;
      case REAL: return Float.class;
      case DOUBLE: return Double.class;
      case DECIMAL: return BigDecimal.class;
      case DATE: return LocalDate.class;
      case TIMESTAMP: return LocalDateTime.class;
      case VARCHAR: return String.class;
      default: throw new IllegalArgumentException("no Java class for " + t);
    }
  }

  public static Object toJava(Object engine, DataType t) {
    if (engine == null) {
      return null;
    }
    switch (t.id()) {
      case TINYINT:
        return (byte) (long) (Long) engine;
      case SMALLINT:
        return (short) (long) (Long) engine;
      case INTEGER:
        return (int) (long) (Long) engine;
      case REAL:
        return (float) (double) (Double) engine;
      case DECIMAL:
        return Decimals.toBigDecimal((Long) engine, t.scale());
      case DATE:
        return LocalDate.ofEpochDay((Long) engine);
      case TIMESTAMP:
        return Timestamps.fromMicros((Long) engine);
      default:
        return engine; // Long, Double, Boolean and String are the same on both sides
    }
  }

  /** A value a user function returned, as the engine holds it; {@code function} names it in errors. */
  public static Object toEngine(Object java, DataType t, String function) {
    if (java == null) {
      return null;
    }
    Class<?> expected = javaClass(t);
    if (!expected.isInstance(java) && !(t.isInteger() && isInteger(java))) {
      throw KilnException.execution("function " + function + " returned a " + java.getClass().getSimpleName()
          + " where its declared result type " + t + " needs a " + expected.getSimpleName());
    }
    switch (t.id()) {
      case TINYINT: case SMALLINT: case INTEGER: case BIGINT: {
        long v = ((Number) java).longValue();
        long max = t.id() == DataType.Id.TINYINT ? Byte.MAX_VALUE : t.id() == DataType.Id.SMALLINT ? Short.MAX_VALUE
            : t.id() == DataType.Id.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (v > max || v < -max - 1) {
          throw KilnException.execution("function " + function + " returned " + v + ", out of range for " + t);
        }
        return v;
      }
      case DECIMAL: {
        long v = Decimals.fromBigDecimal((BigDecimal) java, t.scale());
        if (Math.abs(v) >= Decimals.pow10(t.precision())) {
          throw KilnException.execution("function " + function + " returned " + java + ", which does not fit in " + t);
        }
        return v;
      }
      case REAL:
        return (double) (Float) java;
      case DATE:
        return ((LocalDate) java).toEpochDay();
      case TIMESTAMP:
        return Timestamps.toMicros((LocalDateTime) java);
      default:
        return java;
    }
  }

  private static boolean isInteger(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
  }
}
