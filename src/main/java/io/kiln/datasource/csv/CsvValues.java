package io.kiln.datasource.csv;

import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;

/** Text to the engine's value encoding for CSV fields, and the type inference that uses it. */
final class CsvValues {
  static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .toFormatter();

  /** Inference candidates, most specific first; VARCHAR is the fallback. */
  static final List<DataType> CANDIDATES =
      List.of(DataType.BOOLEAN, DataType.BIGINT, DataType.DOUBLE, DataType.DATE, DataType.TIMESTAMP);

  private CsvValues() {}

  /**
   * The value in the engine's physical encoding: Long for integer/decimal/date/timestamp types,
   * Double, Boolean or the String itself. Throws IllegalArgumentException (or a subclass) if the
   * text is not a value of the type.
   */
  static Object parse(String text, DataType type) {
    String t = type.id() == DataType.Id.VARCHAR ? text : text.trim();
    switch (type.id()) {
      case BOOLEAN:
        if (t.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
      case TINYINT:
        return range(Long.parseLong(t), Byte.MIN_VALUE, Byte.MAX_VALUE);
      case SMALLINT:
        return range(Long.parseLong(t), Short.MIN_VALUE, Short.MAX_VALUE);
      case INTEGER:
        return range(Long.parseLong(t), Integer.MIN_VALUE, Integer.MAX_VALUE);
      case BIGINT:
        return Long.parseLong(t);
      case REAL:
      case DOUBLE:
        if (!looksNumeric(t)) {
          throw new NumberFormatException("not a number"); // Java accepts "1d", "NaN"-like suffixes
        }
        return Double.parseDouble(t);
      case DECIMAL:
        return Decimals.fromBigDecimal(new BigDecimal(t), type.scale());
      case DATE:
        try {
          return LocalDate.parse(t).toEpochDay();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      case TIMESTAMP:
        try {
          return Timestamps.toMicros(LocalDateTime.parse(t, TIMESTAMP));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      case VARCHAR:
        return text;
      default:
        throw new IllegalArgumentException("CSV columns cannot have type " + type);
    }
  }

  static boolean parses(String text, DataType type) {
    try {
      parse(text, type);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static long range(long v, long min, long max) {
    if (v < min || v > max) {
      throw new NumberFormatException("out of range");
    }
    return v;
  }

  /** Digits, sign, point and exponent only; also "nan"/"inf" words are rejected. */
  private static boolean looksNumeric(String t) {
    if (t.isEmpty()) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }
}
