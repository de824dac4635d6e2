package io.kiln.types;

import io.kiln.error.KilnException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * SQL CAST of one value in the engine's encoding (long for LONG-kind types, double, boolean,
 * String). The vectorized cast uses this for the conversions without a fast path; literals are
 * cast with it at bind time.
 */
public final class Casts {
  private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[['T'][ ]HH:mm[:ss]]")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
      .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
      .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
      .toFormatter();
  private static final DateTimeFormatter TIMESTAMP_OUT = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
      .toFormatter();

  private Casts() {}

  public static Object cast(Object value, DataType from, DataType to) {
    if (value == null || from.equals(to)) {
      return value;
    }
    switch (to.id()) {
      case VARCHAR:
        return toVarchar(value, from);
      case BOOLEAN:
        return toBoolean(value, from);
      case REAL:
        return (double) (float) toDouble(value, from);
      case DOUBLE:
        return toDouble(value, from);
      case DECIMAL:
        return toDecimal(value, from, to);
      case DATE:
        return toDate(value, from);
      case TIMESTAMP:
        return toTimestamp(value, from);
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
        return checkRange(toBigint(value, from, to), to);
      default:
        throw KilnException.unsupported("CAST from " + from + " to " + to);
    }
  }

  /**
   * Whether CAST from -> to only rescales the unscaled long (exact numeric to DECIMAL, integer to
   * BIGINT): the vectorized cast runs these through {@link #rescale} in a tight loop instead of
   * {@link #cast}, and constant folding must pick the same path to get the same result.
   */
  public static boolean isRescale(DataType from, DataType to) {
    return from.isExactNumeric() && to.isExactNumeric()
        && (to.id() == DataType.Id.DECIMAL || to.id() == DataType.Id.BIGINT && from.id() != DataType.Id.DECIMAL);
  }

  /** The largest unscaled value {@code to} holds: narrowing casts fail beyond it rather than wrap. */
  public static long maxUnscaled(DataType to) {
    return to.precision() < 19 ? Decimals.pow10(to.precision()) - 1 : Long.MAX_VALUE;
  }

  /** One value of a cast for which {@link #isRescale} holds. */
  public static long rescale(long value, DataType from, DataType to) {
    return Decimals.rescaleWithin(value, from.scale(), to.scale(), maxUnscaled(to), to);
  }

  private static String toVarchar(Object v, DataType from) {
    switch (from.id()) {
      case DECIMAL:
        return Decimals.toBigDecimal((Long) v, from.scale()).toPlainString();
      case DATE:
        return LocalDate.ofEpochDay((Long) v).toString();
      case TIMESTAMP:
        return TIMESTAMP_OUT.format(Timestamps.fromMicros((Long) v));
      case REAL:
      case DOUBLE: {
        double d = (Double) v;
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) + ".0" : String.valueOf(d);
      }
      default:
        return String.valueOf(v);
    }
  }

  private static boolean toBoolean(Object v, DataType from) {
    if (from.id() == DataType.Id.VARCHAR) {
      String s = ((String) v).trim().toLowerCase();
      switch (s) {
        case "true": case "t": case "1": case "yes": case "y":
          return true;
        case "false": case "f": case "0": case "no": case "n":
          return false;
        default:
          throw bad(v, DataType.BOOLEAN);
      }
    }
    if (from.isInteger()) {
      return (Long) v != 0;
    }
    throw KilnException.unsupported("CAST from " + from + " to BOOLEAN");
  }

  public static double toDouble(Object v, DataType from) {
    switch (from.id()) {
      case DECIMAL:
        return Decimals.toDouble((Long) v, from.scale());
      case REAL:
      case DOUBLE:
        return (Double) v;
      case VARCHAR:
        try {
          return Double.parseDouble(((String) v).trim());
        } catch (NumberFormatException e) {
          throw bad(v, DataType.DOUBLE);
        }
      case BOOLEAN:
        return ((Boolean) v) ? 1 : 0;
      default:
        if (from.isInteger()) {
          return (Long) v;
        }
        throw KilnException.unsupported("CAST from " + from + " to DOUBLE");
    }
  }

  private static long toDecimal(Object v, DataType from, DataType to) {
    BigDecimal d;
    switch (from.id()) {
      case DECIMAL:
        d = Decimals.toBigDecimal((Long) v, from.scale());
        break;
      case REAL:
      case DOUBLE:
        if (((Double) v).isNaN() || ((Double) v).isInfinite()) {
          throw bad(v, to);
        }
        d = new BigDecimal((Double) v);
        break;
      case VARCHAR:
        try {
          d = new BigDecimal(((String) v).trim());
        } catch (NumberFormatException e) {
          throw bad(v, to);
        }
        break;
      default:
        if (from.isInteger()) {
          d = BigDecimal.valueOf((Long) v);
          break;
        }
        throw KilnException.unsupported("CAST from " + from + " to " + to);
    }
    BigDecimal scaled = d.setScale(to.scale(), RoundingMode.HALF_UP);
    if (scaled.precision() - scaled.scale() > to.precision() - to.scale() && scaled.signum() != 0) {
      throw KilnException.execution("value " + d.toPlainString() + " does not fit in " + to);
    }
    return Decimals.toLongExact(scaled.unscaledValue());
  }

  private static long toDate(Object v, DataType from) {
    switch (from.id()) {
      case VARCHAR:
        try {
          return LocalDate.parse(((String) v).trim()).toEpochDay();
        } catch (DateTimeParseException e) {
          throw bad(v, DataType.DATE);
        }
      case TIMESTAMP:
        return Math.floorDiv((Long) v, 86_400_000_000L);
      default:
        throw KilnException.unsupported("CAST from " + from + " to DATE");
    }
  }

  private static long toTimestamp(Object v, DataType from) {
    switch (from.id()) {
      case VARCHAR:
        try {
          return Timestamps.toMicros(LocalDateTime.parse(((String) v).trim(), TIMESTAMP_IN));
        } catch (DateTimeParseException e) {
          throw bad(v, DataType.TIMESTAMP);
        }
      case DATE:
        return (Long) v * 86_400_000_000L;
      default:
        throw KilnException.unsupported("CAST from " + from + " to TIMESTAMP");
    }
  }

  /** {@link #cast}, or null where the value cannot be converted (TRY_CAST). */
  public static Object castOrNull(Object value, DataType from, DataType to) {
    try {
      return cast(value, from, to);
    } catch (KilnException e) {
      return null;
    }
  }

  private static long toBigint(Object v, DataType from, DataType to) {
    switch (from.id()) {
      case DECIMAL:
        return Decimals.downscale((Long) v, from.scale());
      case REAL:
      case DOUBLE: {
        double d = (Double) v;
        if (Double.isNaN(d) || d >= 9.223372036854776E18 || d < -9.223372036854776E18) {
          throw bad(v, to);
        }
        return (long) Math.rint(d); // halves to even, as DuckDB (decimals round halves away from zero)
      }
      case VARCHAR:
        try {
          return Long.parseLong(((String) v).trim());
        } catch (NumberFormatException e) {
          throw bad(v, to);
        }
      case BOOLEAN:
        return ((Boolean) v) ? 1 : 0;
      default:
        if (from.isInteger()) {
          return (Long) v;
        }
        throw KilnException.unsupported("CAST from " + from + " to an integer");
    }
  }

  public static long checkRange(long v, DataType to) {
    long min;
    long max;
    switch (to.id()) {
      case TINYINT: min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; break;
      case SMALLINT: min = Short.MIN_VALUE; max = Short.MAX_VALUE; break;
      case INTEGER: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
      default: return v;
    }
    if (v < min || v > max) {
      throw KilnException.execution("value " + v + " is out of range for " + to);
    }
    return v;
  }

  private static KilnException bad(Object v, DataType to) {
    return KilnException.execution("cannot cast '" + v + "' to " + to);
  }
}
