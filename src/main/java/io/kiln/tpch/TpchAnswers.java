package io.kiln.tpch;

import io.kiln.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected TPC-H answers at SF 0.01 that io.trino.tpch ships as {@code
 * io/trino/tpch/queries/qN.result}, and a comparison of a Kiln {@link Result} against them.
 *
 * <p>The files are printed text, so values are compared by the actual value's type: numbers
 * numerically at the printed precision, strings trimmed, dates in ISO form, {@code null} as the
 * literal word.
 */
public final class TpchAnswers {
  /** Stop listing differences after this many; the count of the rest is still reported. */
  private static final int MAX_MESSAGES = 20;
  /** Expected numbers with at least this many significant digits also pass at relative 1e-6. */
  private static final int LONG_VALUE_DIGITS = 12;
  private static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("1e-6");
  /** Slack for binary doubles whose decimal rendering sits exactly on a rounding boundary. */
  private static final BigDecimal BINARY_SLACK = new BigDecimal("1e-12");

  private static final Pattern DELIMITER = Pattern.compile("delimiter:\\s*(\\S)\\s*;");
  private static final Pattern IGNORE_ORDER = Pattern.compile("ignoreOrder:\\s*(true|false)");

  private TpchAnswers() {}

  /** A parsed {@code .result} file: raw printed fields per row. */
  public static final class Expected {
    private final boolean ignoreOrder;
    private final List<String[]> rows;

    Expected(boolean ignoreOrder, List<String[]> rows) {
      this.ignoreOrder = ignoreOrder;
      this.rows = rows;
    }

    public boolean ignoreOrder() {
      return ignoreOrder;
    }

    /** Rows as printed fields; a trailing empty field from a line ending in the delimiter is kept. */
    public List<String[]> rows() {
      return rows;
    }
  }

  /** Loads and parses the shipped answer of query {@code n}. */
  public static Expected expected(int n) {
    String resource = "io/trino/tpch/queries/q" + n + ".result";
    try (InputStream in = TpchAnswers.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource + " (io.trino.tpch:tpch)");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Parses a {@code .result} text: a {@code -- delimiter: |; ignoreOrder: false;} header, then rows. */
  public static Expected parse(String text) {
    String[] lines = text.split("\r?\n", -1);
    String delimiter = "|";
    boolean ignoreOrder = false;
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == 0 && line.startsWith("--")) {
        Matcher d = DELIMITER.matcher(line);
        if (d.find()) {
          delimiter = d.group(1);
        }
        Matcher o = IGNORE_ORDER.matcher(line);
        if (o.find()) {
          ignoreOrder = Boolean.parseBoolean(o.group(1));
        }
        continue;
      }
      if (line.isEmpty()) {
        continue; // the file's final newline; no TPC-H answer row is empty
      }
      rows.add(line.split(Pattern.quote(delimiter), -1));
    }
    return new Expected(ignoreOrder, rows);
  }

  /** Compares {@code actual} with the shipped answer of query {@code n}; empty means a match. */
  public static List<String> compare(int n, Result actual) {
    return compare("q" + n, expected(n), actual);
  }

  /** Compares {@code actual} with a parsed answer; messages are prefixed with {@code label}. */
  public static List<String> compare(String label, Expected expected, Result actual) {
    return compare(label, expected, actual.columnNames(), actual.rows());
  }

  /** Compares rows of Java values (as in {@link Result#rows()}) with a parsed answer. */
  public static List<String> compare(
      String label, Expected expected, List<String> columnNames, List<Object[]> got) {
    List<String> messages = new ArrayList<>();
    List<String[]> want = expected.rows();
    int columns = columnNames.size();
    if (want.size() != got.size()) {
      messages.add(label + ": expected " + want.size() + " rows, got " + got.size());
    }
    List<String[]> wantFields = new ArrayList<>(want.size());
    for (int r = 0; r < want.size(); r++) {
      String[] fields = fitToColumns(want.get(r), columns);
      if (fields == null) {
        messages.add(label + ": expected row " + (r + 1) + " has " + want.get(r).length
            + " fields but the result has " + columns + " columns: " + String.join("|", want.get(r)));
        return messages; // a shape mismatch makes every further message noise
      }
      wantFields.add(fields);
    }
    int differences = 0;
    if (expected.ignoreOrder()) {
      boolean[] used = new boolean[got.size()];
      for (int r = 0; r < wantFields.size(); r++) {
        int match = -1;
        for (int g = 0; g < got.size() && match < 0; g++) {
          if (!used[g] && firstDifference(wantFields.get(r), got.get(g)) < 0) {
            match = g;
          }
        }
        if (match >= 0) {
          used[match] = true;
        } else if (differences++ < MAX_MESSAGES) {
          messages.add(label + ": expected row not found in result: " + String.join("|", wantFields.get(r)));
        }
      }
      for (int g = 0; g < got.size(); g++) {
        if (!used[g] && differences++ < MAX_MESSAGES) {
          messages.add(label + ": unexpected result row: " + render(got.get(g)));
        }
      }
    } else {
      int common = Math.min(wantFields.size(), got.size());
      for (int r = 0; r < common; r++) {
        String[] w = wantFields.get(r);
        Object[] g = got.get(r);
        int c = firstDifference(w, g);
        if (c >= 0 && differences++ < MAX_MESSAGES) {
          messages.add(label + ": row " + (r + 1) + " column " + (c + 1) + " (" + columnNames.get(c)
              + "): expected " + w[c] + ", got " + describe(g[c])
              + "\n    expected row: " + String.join("|", w) + "\n    actual row:   " + render(g));
        }
      }
    }
    if (differences > MAX_MESSAGES) {
      messages.add(label + ": ... and " + (differences - MAX_MESSAGES) + " more differing rows");
    }
    return messages;
  }

  /** Drops the empty field a trailing delimiter leaves; null when the shape does not fit. */
  private static String[] fitToColumns(String[] fields, int columns) {
    if (fields.length == columns) {
      return fields;
    }
    if (fields.length == columns + 1 && fields[columns].isEmpty()) {
      String[] trimmed = new String[columns];
      System.arraycopy(fields, 0, trimmed, 0, columns);
      return trimmed;
    }
    return null;
  }

  /** Index of the first column whose value does not match, or -1. */
  private static int firstDifference(String[] expected, Object[] actual) {
    if (actual.length != expected.length) {
      return Math.min(actual.length, expected.length);
    }
    for (int c = 0; c < expected.length; c++) {
      if (!valueMatches(expected[c], actual[c])) {
        return c;
      }
    }
    return -1;
  }

  /** Whether one printed expected value matches one actual Java value. */
  public static boolean valueMatches(String expectedText, Object actual) {
    String expected = expectedText.trim();
    if (actual == null) {
      return expected.equalsIgnoreCase("null");
    }
    if (actual instanceof Number) {
      return numberMatches(expected, (Number) actual);
    }
    if (actual instanceof LocalDate) {
      try {
        return LocalDate.parse(expected).equals(actual);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    if (actual instanceof LocalDateTime) {
      try {
        return LocalDateTime.parse(expected.replace(' ', 'T')).equals(actual);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    if (actual instanceof Boolean) {
      return expected.equalsIgnoreCase(actual.toString());
    }
    return expected.equals(actual.toString().trim());
  }

  /**
   * Numbers match when the actual value, rounded half-up to the printed decimals, is the printed
   * value (e.g. "25.58" vs 25.5775), or, for long printed values, within a relative 1e-6: sums
   * whose last digits depend on summation order, or a printed double (Q14's 15.4865458122841)
   * against Kiln's decimal division at a smaller scale. A decimal typed at too small a scale (an
   * avg of 26 for "25.58") fails, as it should.
   */
  static boolean numberMatches(String expectedText, Number actual) {
    BigDecimal expected;
    try {
      expected = new BigDecimal(expectedText);
    } catch (NumberFormatException e) {
      return false;
    }
    BigDecimal value = toBigDecimal(actual);
    if (value == null) {
      return false; // NaN or infinity never matches a printed number
    }
    BigDecimal diff = value.subtract(expected).abs();
    int printedScale = Math.max(expected.scale(), 0);
    BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(printedScale).divide(BigDecimal.valueOf(2));
    BigDecimal slack = actual instanceof Double || actual instanceof Float
        ? BINARY_SLACK.multiply(expected.abs().max(BigDecimal.ONE))
        : BigDecimal.ZERO;
    if (value.setScale(printedScale, RoundingMode.HALF_UP).compareTo(expected) == 0
        || diff.compareTo(halfUnit.add(slack)) <= 0) {
      return true;
    }
    return expected.precision() >= LONG_VALUE_DIGITS
        && diff.compareTo(RELATIVE_TOLERANCE.multiply(expected.abs())) <= 0;
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      // Float.toString keeps a float's own shortest form; widening to double would add noise digits.
      return n instanceof Float ? new BigDecimal(Float.toString(n.floatValue())) : BigDecimal.valueOf(d);
    }
    if (n instanceof java.math.BigInteger) {
      return new BigDecimal((java.math.BigInteger) n);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static String describe(Object value) {
    return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
  }

  private static String render(Object[] row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        sb.append('|');
      }
      sb.append(row[i]);
    }
    return sb.toString();
  }
}
