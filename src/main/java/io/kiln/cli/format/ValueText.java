package io.kiln.cli.format;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** The text of one non-null value, shared by every format so they agree on numbers and dates. */
final class ValueText {
  // Largest magnitudes at which every integer is exact; beyond them "integral" says nothing useful.
  private static final double DOUBLE_EXACT = 0x1p53;
  private static final float FLOAT_EXACT = 0x1p24f;

  // ISO date and time; the fraction appears only when non-zero, with as few digits as it needs.
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private ValueText() {}

  static String of(Object value) {
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    if (value instanceof Double) {
      return ofDouble((Double) value);
    }
    if (value instanceof Float) {
      return ofFloat((Float) value);
    }
    if (value instanceof LocalDateTime) {
      return TIMESTAMP.format((LocalDateTime) value);
    }
    // String, Boolean, integers and LocalDate (whose toString is ISO yyyy-MM-dd).
    return value.toString();
  }

  /** True for doubles and floats that JSON cannot hold: NaN and the infinities. */
  static boolean isNonFinite(Object value) {
    return (value instanceof Double && !Double.isFinite((Double) value))
        || (value instanceof Float && !Float.isFinite((Float) value));
  }

  private static String ofDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) <= DOUBLE_EXACT) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static String ofFloat(float f) {
    if (f == Math.rint(f) && Math.abs(f) <= FLOAT_EXACT) {
      return Long.toString((long) f);
    }
    return Float.toString(f);
  }
}
