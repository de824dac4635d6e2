package io.kiln.logical;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.Timestamps;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/**
 * Row-at-a-time date and time functions over engine values (DATE as epoch days, TIMESTAMP as
 * microseconds), with DuckDB's meanings: date_trunc gives a TIMESTAMP, date_diff counts the part
 * boundaries crossed, strftime and strptime take DuckDB's (C's) format codes.
 */
final class DateFunctions {
  private DateFunctions() {}

  static Object apply(Function f, Object[] a, List<DataType> argTypes) {
    switch (f) {
      case DATE_TRUNC:
        return Timestamps.toMicros(trunc((String) a[0], time((Long) a[1], argTypes.get(1))));
      case DATE_PART:
        return part((String) a[0], time((Long) a[1], argTypes.get(1)));
      case DATE_DIFF_PART:
        return diff((String) a[0], time((Long) a[1], argTypes.get(1)), time((Long) a[2], argTypes.get(2)));
      case DATE_SUB_PART:
        return wholeParts((String) a[0], time((Long) a[1], argTypes.get(1)), time((Long) a[2], argTypes.get(2)));
      case MAKE_DATE:
        try {
          return LocalDate.of(Math.toIntExact((Long) a[0]), Math.toIntExact((Long) a[1]), Math.toIntExact((Long) a[2]))
              .toEpochDay();
        } catch (DateTimeException | ArithmeticException e) {
          throw KilnException.execution("make_date(" + a[0] + ", " + a[1] + ", " + a[2] + "): " + e.getMessage());
        }
      case LAST_DAY:
        return time((Long) a[0], argTypes.get(0)).toLocalDate().with(TemporalAdjusters.lastDayOfMonth()).toEpochDay();
      case STRFTIME:
        return TimeFormat.format(time((Long) a[0], argTypes.get(0)), (String) a[1]);
      case STRPTIME:
        return Timestamps.toMicros(TimeFormat.parse((String) a[0], (String) a[1]));
      default:
        throw new IllegalStateException("no date implementation for " + f);
    }
  }

  private static LocalDateTime time(long v, DataType t) {
    return t.id() == DataType.Id.TIMESTAMP ? Timestamps.fromMicros(v) : LocalDate.ofEpochDay(v).atStartOfDay();
  }

  private static LocalDateTime trunc(String part, LocalDateTime t) {
    LocalDate d = t.toLocalDate();
    switch (part) {
      case "millennium": return LocalDate.of(Math.floorDiv(d.getYear() - 1, 1000) * 1000 + 1, 1, 1).atStartOfDay();
      case "century": return LocalDate.of(Math.floorDiv(d.getYear() - 1, 100) * 100 + 1, 1, 1).atStartOfDay();
      case "decade": return LocalDate.of(Math.floorDiv(d.getYear(), 10) * 10, 1, 1).atStartOfDay();
      case "year": case "isoyear": return d.withDayOfYear(1).atStartOfDay();
      case "quarter": return LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1).atStartOfDay();
      case "month": return d.withDayOfMonth(1).atStartOfDay();
      case "week": case "yearweek": return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
      case "day": case "dow": case "isodow": case "doy": return d.atStartOfDay();
      case "hour": return t.truncatedTo(ChronoUnit.HOURS);
      case "minute": return t.truncatedTo(ChronoUnit.MINUTES);
      case "second": case "epoch": return t.truncatedTo(ChronoUnit.SECONDS);
      case "millisecond": return t.truncatedTo(ChronoUnit.MILLIS);
      case "microsecond": return t;
      default: throw KilnException.binding("date_trunc cannot truncate to '" + part + "'");
    }
  }

  static Object part(String part, LocalDateTime t) {
    LocalDate d = t.toLocalDate();
    switch (part) {
      case "year": return (long) d.getYear();
      case "isoyear": return (long) d.get(IsoFields.WEEK_BASED_YEAR);
      case "month": return (long) d.getMonthValue();
      case "day": return (long) d.getDayOfMonth();
      case "quarter": return (long) ((d.getMonthValue() - 1) / 3 + 1);
      case "week": return (long) d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case "yearweek": return (long) d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case "dow": return (long) (d.getDayOfWeek().getValue() % 7); // Sunday 0
      case "isodow": return (long) d.getDayOfWeek().getValue(); // Monday 1 .. Sunday 7
      case "doy": return (long) d.getDayOfYear();
      case "hour": return (long) t.getHour();
      case "minute": return (long) t.getMinute();
      case "second": return (long) t.getSecond();
      case "millisecond": return t.getSecond() * 1000L + t.getNano() / 1_000_000;
      case "microsecond": return t.getSecond() * 1_000_000L + t.getNano() / 1_000;
      case "epoch": return Timestamps.toMicros(t) / 1e6;
      case "decade": return (long) Math.floorDiv(d.getYear(), 10);
      case "century": return (long) (d.getYear() > 0 ? (d.getYear() - 1) / 100 + 1 : -((-d.getYear()) / 100 + 1));
      case "millennium": return (long) (d.getYear() > 0 ? (d.getYear() - 1) / 1000 + 1 : -((-d.getYear()) / 1000 + 1));
      default: throw KilnException.binding("unknown date part '" + part + "'");
    }
  }

  /** The boundaries of {@code part} crossed from {@code a} to {@code b} (negative if b is earlier); weeks are whole weeks. */
  private static long diff(String part, LocalDateTime a, LocalDateTime b) {
    switch (part) {
      case "year": case "isoyear": return b.getYear() - a.getYear();
      case "quarter": return (b.getYear() * 4L + (b.getMonthValue() - 1) / 3) - (a.getYear() * 4L + (a.getMonthValue() - 1) / 3);
      case "month": return (b.getYear() * 12L + b.getMonthValue()) - (a.getYear() * 12L + a.getMonthValue());
      case "decade": return Math.floorDiv(b.getYear(), 10) - Math.floorDiv(a.getYear(), 10);
      case "century": return Math.floorDiv(b.getYear() - 1, 100) - Math.floorDiv(a.getYear() - 1, 100);
      case "millennium": return Math.floorDiv(b.getYear() - 1, 1000) - Math.floorDiv(a.getYear() - 1, 1000);
      case "week": case "yearweek": // whole weeks between, as DuckDB counts them
        return ChronoUnit.WEEKS.between(a, b);
      case "day": case "dow": case "isodow": case "doy":
        return b.toLocalDate().toEpochDay() - a.toLocalDate().toEpochDay();
      case "hour": return ChronoUnit.HOURS.between(a.truncatedTo(ChronoUnit.HOURS), b.truncatedTo(ChronoUnit.HOURS));
      case "minute": return ChronoUnit.MINUTES.between(a.truncatedTo(ChronoUnit.MINUTES), b.truncatedTo(ChronoUnit.MINUTES));
      case "second": case "epoch":
        return ChronoUnit.SECONDS.between(a.truncatedTo(ChronoUnit.SECONDS), b.truncatedTo(ChronoUnit.SECONDS));
      case "millisecond":
        return ChronoUnit.MILLIS.between(a.truncatedTo(ChronoUnit.MILLIS), b.truncatedTo(ChronoUnit.MILLIS));
      case "microsecond": return ChronoUnit.MICROS.between(a, b);
      default: throw KilnException.binding("date_diff cannot count '" + part + "'");
    }
  }

  /**
   * date_sub: the whole parts from {@code a} to {@code b} (negative if b is earlier). As in DuckDB,
   * an end on the last day of its month completes a month that started on a later day (January 31
   * to February 29 is one month); years, quarters, decades, centuries and millennia are months.
   */
  private static long wholeParts(String part, LocalDateTime a, LocalDateTime b) {
    if (a.isAfter(b)) {
      return -wholeParts(part, b, a);
    }
    switch (part) {
      case "year": case "isoyear": return wholeMonths(a, b) / 12;
      case "quarter": return wholeMonths(a, b) / 3;
      case "month": return wholeMonths(a, b);
      case "decade": return wholeMonths(a, b) / 120;
      case "century": return wholeMonths(a, b) / 1200;
      case "millennium": return wholeMonths(a, b) / 12000;
      case "week": case "yearweek": return ChronoUnit.WEEKS.between(a, b);
      case "day": case "dow": case "isodow": case "doy": return ChronoUnit.DAYS.between(a, b);
      case "hour": return ChronoUnit.HOURS.between(a, b);
      case "minute": return ChronoUnit.MINUTES.between(a, b);
      case "second": case "epoch": return ChronoUnit.SECONDS.between(a, b);
      case "millisecond": return ChronoUnit.MILLIS.between(a, b);
      case "microsecond": return ChronoUnit.MICROS.between(a, b);
      default: throw KilnException.binding("date_sub cannot count '" + part + "'");
    }
  }

  private static long wholeMonths(LocalDateTime a, LocalDateTime b) {
    LocalDate end = b.toLocalDate();
    if (end.getDayOfMonth() == end.lengthOfMonth() && (a.getDayOfMonth() > end.getDayOfMonth()
        || (a.getDayOfMonth() == end.getDayOfMonth() && a.toLocalTime().isAfter(b.toLocalTime())))) {
      a = a.withDayOfMonth(end.getDayOfMonth()); // clamped to the end's day; the time of day still counts
    }
    return ChronoUnit.MONTHS.between(a, b);
  }

  /** DuckDB's strftime/strptime format codes, on Java's time classes. */
  static final class TimeFormat {
    private TimeFormat() {}

    static String format(LocalDateTime t, String format) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < format.length(); i++) {
        char c = format.charAt(i);
        if (c != '%' || i + 1 == format.length()) {
          out.append(c);
          continue;
        }
        char code = format.charAt(++i);
        switch (code) {
          case 'Y': out.append(t.getYear()); break;
          case 'y': out.append(String.format("%02d", Math.floorMod(t.getYear(), 100))); break;
          case 'm': out.append(String.format("%02d", t.getMonthValue())); break;
          case '-': // %-m, %-d, %-H, ...: no padding
            if (i + 1 < format.length()) {
              out.append(unpadded(t, format.charAt(++i), format));
            }
            break;
          case 'd': out.append(String.format("%02d", t.getDayOfMonth())); break;
          case 'e': out.append(String.format("%2d", t.getDayOfMonth())); break;
          case 'H': out.append(String.format("%02d", t.getHour())); break;
          case 'I': out.append(String.format("%02d", (t.getHour() + 11) % 12 + 1)); break;
          case 'M': out.append(String.format("%02d", t.getMinute())); break;
          case 'S': out.append(String.format("%02d", t.getSecond())); break;
          case 'f': out.append(String.format("%06d", t.getNano() / 1000)); break;
          case 'p': out.append(t.getHour() < 12 ? "AM" : "PM"); break;
          case 'j': out.append(String.format("%03d", t.getDayOfYear())); break;
          case 'a': out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
          case 'A': out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
          case 'w': out.append(t.getDayOfWeek().getValue() % 7); break;
          case 'u': out.append(t.getDayOfWeek().getValue()); break;
          case 'b': case 'h': out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
          case 'B': out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
          case 'V': out.append(String.format("%02d", t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))); break;
          case 'G': out.append(t.get(IsoFields.WEEK_BASED_YEAR)); break;
          case 'F': out.append(format(t, "%Y-%m-%d")); break;
          case 'T': out.append(format(t, "%H:%M:%S")); break;
          case 'D': out.append(format(t, "%m/%d/%y")); break;
          case '%': out.append('%'); break;
          default:
            throw KilnException.execution("strftime: unsupported format code %" + code + " in '" + format + "'");
        }
      }
      return out.toString();
    }

    private static String unpadded(LocalDateTime t, char code, String format) {
      switch (code) {
        case 'm': return Integer.toString(t.getMonthValue());
        case 'd': return Integer.toString(t.getDayOfMonth());
        case 'H': return Integer.toString(t.getHour());
        case 'I': return Integer.toString((t.getHour() + 11) % 12 + 1);
        case 'M': return Integer.toString(t.getMinute());
        case 'S': return Integer.toString(t.getSecond());
        case 'j': return Integer.toString(t.getDayOfYear());
        case 'y': return Integer.toString(Math.floorMod(t.getYear(), 100));
        default: throw KilnException.execution("strftime: unsupported format code %-" + code + " in '" + format + "'");
      }
    }

    /** Parses {@code text} exactly as {@code format} spells it; an error names both. */
    static LocalDateTime parse(String text, String format) {
      int[] at = {0};
      int year = 1970;
      int month = 1;
      int day = 1;
      int hour = 0;
      int minute = 0;
      int second = 0;
      int micros = 0;
      Boolean pm = null;
      try {
        for (int i = 0; i < format.length(); i++) {
          char c = format.charAt(i);
          if (c != '%' || i + 1 == format.length()) {
            expect(text, at, c);
            continue;
          }
          char code = format.charAt(++i);
          if (code == '-' && i + 1 < format.length()) {
            code = format.charAt(++i);
          }
          switch (code) {
            case 'Y': year = number(text, at, 1, 4, true); break;
            case 'y': year = 2000 + number(text, at, 1, 2, false); if (year > 2068) { year -= 100; } break;
            case 'm': month = number(text, at, 1, 2, false); break;
            case 'd': case 'e': skipSpaces(text, at); day = number(text, at, 1, 2, false); break;
            case 'H': hour = number(text, at, 1, 2, false); break;
            case 'I': hour = number(text, at, 1, 2, false); break;
            case 'M': minute = number(text, at, 1, 2, false); break;
            case 'S': second = number(text, at, 1, 2, false); break;
            case 'f': {
              int start = at[0];
              int v = number(text, at, 1, 6, false);
              micros = v * (int) Math.pow(10, 6 - (at[0] - start));
              break;
            }
            case 'j': {
              int doy = number(text, at, 1, 3, false);
              LocalDate d = LocalDate.ofYearDay(year, doy);
              month = d.getMonthValue();
              day = d.getDayOfMonth();
              break;
            }
            case 'p': {
              String ampm = text.substring(at[0], Math.min(text.length(), at[0] + 2)).toUpperCase(Locale.ROOT);
              if (!ampm.equals("AM") && !ampm.equals("PM")) {
                throw new IllegalArgumentException("expected AM or PM at position " + (at[0] + 1));
              }
              pm = ampm.equals("PM");
              at[0] += 2;
              break;
            }
            case 'b': case 'h': case 'B': month = monthName(text, at); break;
            case 'a': case 'A': dayName(text, at); break;
            case 'F': {
              LocalDateTime d = parse(text.substring(at[0], Math.min(text.length(), at[0] + 10)), "%Y-%m-%d");
              year = d.getYear(); month = d.getMonthValue(); day = d.getDayOfMonth(); at[0] += 10;
              break;
            }
            case 'T': {
              LocalDateTime d = parse("1970-01-01 " + text.substring(at[0], Math.min(text.length(), at[0] + 8)),
                  "%Y-%m-%d %H:%M:%S");
              hour = d.getHour(); minute = d.getMinute(); second = d.getSecond(); at[0] += 8;
              break;
            }
            case '%': expect(text, at, '%'); break;
            default:
              throw KilnException.execution("strptime: unsupported format code %" + code + " in '" + format + "'");
          }
        }
        if (at[0] != text.length()) {
          throw new IllegalArgumentException("unexpected '" + text.substring(at[0]) + "' at position " + (at[0] + 1));
        }
        if (pm != null) {
          hour = hour % 12 + (pm ? 12 : 0);
        }
        return LocalDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, micros * 1000));
      } catch (IllegalArgumentException | DateTimeException | StringIndexOutOfBoundsException e) {
        throw KilnException.execution("strptime: '" + text + "' does not match the format '" + format + "': "
            + e.getMessage());
      }
    }

    private static void expect(String text, int[] at, char c) {
      if (at[0] >= text.length() || text.charAt(at[0]) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at position " + (at[0] + 1));
      }
      at[0]++;
    }

    private static void skipSpaces(String text, int[] at) {
      while (at[0] < text.length() && text.charAt(at[0]) == ' ') {
        at[0]++;
      }
    }

    private static int number(String text, int[] at, int min, int max, boolean signed) {
      int start = at[0];
      if (signed && at[0] < text.length() && text.charAt(at[0]) == '-') {
        at[0]++;
      }
      int digits = 0;
      while (at[0] < text.length() && digits < max && Character.isDigit(text.charAt(at[0]))) {
        at[0]++;
        digits++;
      }
      if (digits < min) {
        throw new IllegalArgumentException("expected a number at position " + (start + 1));
      }
      return Integer.parseInt(text.substring(start, at[0]));
    }

    private static int monthName(String text, int[] at) {
      for (java.time.Month m : java.time.Month.values()) {
        for (TextStyle style : new TextStyle[] {TextStyle.FULL, TextStyle.SHORT}) {
          String name = m.getDisplayName(style, Locale.ENGLISH);
          if (text.regionMatches(true, at[0], name, 0, name.length())) {
            at[0] += name.length();
            return m.getValue();
          }
        }
      }
      throw new IllegalArgumentException("expected a month name at position " + (at[0] + 1));
    }

    private static void dayName(String text, int[] at) {
      for (DayOfWeek d : DayOfWeek.values()) {
        for (TextStyle style : new TextStyle[] {TextStyle.FULL, TextStyle.SHORT}) {
          String name = d.getDisplayName(style, Locale.ENGLISH);
          if (text.regionMatches(true, at[0], name, 0, name.length())) {
            at[0] += name.length();
            return;
          }
        }
      }
      throw new IllegalArgumentException("expected a day name at position " + (at[0] + 1));
    }
  }
}
