package io.kiln.logical;

import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Row-at-a-time implementations of the scalar functions without a dedicated vector kernel, over
 * engine values (Long, Double, Boolean, String, Interval). They sit beside {@link Function}, below
 * the engine, so the interpreter, generated code and constant folding all run this same code.
 */
public final class ScalarFunctions {
  private ScalarFunctions() {}

  /** Functions that look at NULL arguments themselves; all others return NULL for any NULL input. */
  public static boolean handlesNulls(Function f) {
    return f == Function.COALESCE || f == Function.CONCAT || f == Function.NULLIF || f == Function.GREATEST
        || f == Function.LEAST;
  }

  public static Object apply(Function f, Object[] a, List<DataType> argTypes, DataType type) {
    switch (f) {
      case COALESCE:
        for (Object x : a) {
          if (x != null) {
            return x;
          }
        }
        return null;
      case NULLIF:
        return a[0] != null && a[1] != null && a[0].equals(a[1]) ? null : a[0];
      case NEGATE:
        return a[0] instanceof Double ? (Object) (-(Double) a[0]) : (Object) Math.negateExact((Long) a[0]);
      case DATE_ADD_INTERVAL:
        return addInterval((Long) a[0], (Interval) a[1], argTypes.get(0));
      case DATE_ADD_DAYS:
        return Math.addExact((Long) a[0], (Long) a[1]);
      case DATE_DIFF:
        return (Long) a[0] - (Long) a[1];
      case EXTRACT_YEAR:
        return (long) date((Long) a[0], argTypes.get(0)).getYear();
      case EXTRACT_MONTH:
        return (long) date((Long) a[0], argTypes.get(0)).getMonthValue();
      case EXTRACT_DAY:
        return (long) date((Long) a[0], argTypes.get(0)).getDayOfMonth();
      case EXTRACT_QUARTER:
        return (long) ((date((Long) a[0], argTypes.get(0)).getMonthValue() - 1) / 3 + 1);
      case SUBSTRING:
        return substring((String) a[0], (Long) a[1], a.length > 2 ? (Long) a[2] : null);
      case UPPER:
        return ((String) a[0]).toUpperCase(Locale.ROOT);
      case LOWER:
        return ((String) a[0]).toLowerCase(Locale.ROOT);
      case TRIM:
        return stripSpaces((String) a[0], true, true);
      case LTRIM:
        return stripSpaces((String) a[0], true, false);
      case RTRIM:
        return stripSpaces((String) a[0], false, true);
      case LENGTH: {
        String s = (String) a[0];
        return (long) s.codePointCount(0, s.length());
      }
      case CONCAT:
      case CONCAT_OP: {
        StringBuilder sb = new StringBuilder();
        for (Object x : a) {
          if (x != null) {
            sb.append((String) x);
          }
        }
        return sb.toString();
      }
      case ABS:
        return a[0] instanceof Double ? (Object) Math.abs((Double) a[0]) : (Object) Math.absExact((Long) a[0]);
      case FLOOR:
      case CEIL:
        return floorCeil(f, a[0], argTypes.get(0));
      case ROUND:
        return round(a[0], argTypes.get(0), (Long) a[1], type);
      case REPLACE: case STRPOS: case STARTS_WITH: case ENDS_WITH: case CONTAINS: case LPAD: case RPAD:
      case SPLIT_PART: case LEFT: case RIGHT: case REVERSE: case REPEAT: case REGEXP_MATCHES: case REGEXP_REPLACE:
      case REGEXP_EXTRACT:
        return TextFunctions.apply(f, a);
      case POWER: case SQRT: case LN: case LOG10: case EXP: case SIGN: case GREATEST: case LEAST:
        return MathFunctions.apply(f, a);
      case DATE_TRUNC: case DATE_PART: case DATE_DIFF_PART: case DATE_SUB_PART: case MAKE_DATE: case LAST_DAY: case STRFTIME:
      case STRPTIME:
        return DateFunctions.apply(f, a, argTypes);
      default:
        throw new IllegalStateException("no row implementation for " + f);
    }
  }

  private static LocalDate date(long v, DataType t) {
    if (t.id() == DataType.Id.TIMESTAMP) {
      return Timestamps.fromMicros(v).toLocalDate();
    }
    return LocalDate.ofEpochDay(v);
  }

  private static long addInterval(long v, Interval interval, DataType t) {
    if (t.id() == DataType.Id.TIMESTAMP) {
      LocalDateTime ts = Timestamps.fromMicros(v).plusMonths(interval.months()).plusDays(interval.days());
      return Timestamps.toMicros(ts);
    }
    return LocalDate.ofEpochDay(v).plusMonths(interval.months()).plusDays(interval.days()).toEpochDay();
  }

  /** SQL substring: 1-based start, characters before position 1 count against the length. */
  private static String substring(String s, long start, Long length) {
    int chars = s.codePointCount(0, s.length());
    long from = start;
    long to = length == null ? Long.MAX_VALUE : start + length;
    if (length != null && length < 0) {
      throw io.kiln.error.KilnException.execution("substring length must not be negative: " + length);
    }
    from = Math.max(from, 1);
    to = Math.min(to, (long) chars + 1);
    if (to <= from) {
      return "";
    }
    int b = s.offsetByCodePoints(0, (int) from - 1);
    int e = s.offsetByCodePoints(0, (int) to - 1);
    return s.substring(b, e);
  }

  private static String stripSpaces(String s, boolean leading, boolean trailing) {
    int b = 0;
    int e = s.length();
    if (leading) {
      while (b < e && s.charAt(b) == ' ') {
        b++;
      }
    }
    if (trailing) {
      while (e > b && s.charAt(e - 1) == ' ') {
        e--;
      }
    }
    return s.substring(b, e);
  }

  private static Object floorCeil(Function f, Object v, DataType t) {
    if (v instanceof Double) {
      return f == Function.FLOOR ? Math.floor((Double) v) : Math.ceil((Double) v);
    }
    if (t.id() != DataType.Id.DECIMAL || t.scale() == 0) {
      return v;
    }
    long p = Decimals.pow10(t.scale());
    long x = (Long) v;
    return f == Function.FLOOR ? Math.floorDiv(x, p) : -Math.floorDiv(-x, p);
  }

  private static Object round(Object v, DataType t, long digits, DataType resultType) {
    if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return d;
      }
      return new BigDecimal(d).setScale((int) digits, RoundingMode.HALF_UP).doubleValue();
    }
    int scale = t.id() == DataType.Id.DECIMAL ? t.scale() : 0;
    long x = (Long) v;
    if (digits >= scale) {
      return x;
    }
    long rounded = Decimals.downscale(x, (int) (scale - digits));
    if (digits >= 0) {
      return Decimals.rescale(rounded, (int) digits, resultType.scale());
    }
    return Decimals.upscale(rounded, (int) -digits);
  }
}
