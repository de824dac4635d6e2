package io.kiln.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.kiln.Result;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Compares a Kiln result with reference rows (usually DuckDB's), across Java numeric types. */
public final class ResultAssert {
  private static final BigDecimal ABSOLUTE = new BigDecimal("1e-9");
  private static final BigDecimal RELATIVE = new BigDecimal("1e-9");
  /** REAL has ~7 significant digits, so 1e-9 would demand more than the type holds. */
  private static final BigDecimal RELATIVE_REAL = new BigDecimal("1e-6");
  private static final int SHOWN_DIFFERENCES = 5;

  private ResultAssert() {}

  /**
   * Asserts that Kiln's rows equal {@code expected}: in order when {@code ordered}, else as
   * multisets. Fails with the SQL, row counts and the first differing rows of both sides.
   */
  public static void assertSameRows(String sql, Result kiln, List<Object[]> expected, boolean ordered) {
    assertSameRows(sql, kiln.columnNames(), kiln.rows(), expected, ordered);
  }

  /** As {@link #assertSameRows(String, Result, List, boolean)}, for rows not wrapped in a Result. */
  public static void assertSameRows(
      String sql, List<String> columnNames, List<Object[]> actual, List<Object[]> expected, boolean ordered) {
    int kilnColumns = columnNames.size();
    for (Object[] row : expected) {
      if (row.length != kilnColumns) {
        fail(header(sql, actual, expected, ordered) + "Kiln returned " + kilnColumns + " columns "
            + columnNames + ", the reference " + row.length);
      }
    }
    List<Object[]> left = actual;
    List<Object[]> right = expected;
    if (!ordered) {
      left = sortedCopy(actual);
      right = sortedCopy(expected);
    }
    List<Integer> differing = differingRows(left, right);
    if (differing.isEmpty() && actual.size() == expected.size()) {
      return;
    }
    if (!ordered && actual.size() == expected.size() && multisetMatch(actual, expected)) {
      return; // sorting put near-equal numbers in different places; a matching does exist
    }
    StringBuilder msg = new StringBuilder(header(sql, actual, expected, ordered));
    if (actual.size() != expected.size()) {
      msg.append("row counts differ: Kiln ").append(actual.size())
          .append(", reference ").append(expected.size()).append('\n');
    }
    int shown = 0;
    for (int r : differing) {
      if (shown++ == SHOWN_DIFFERENCES) {
        msg.append("... ").append(differing.size() - SHOWN_DIFFERENCES).append(" more differing rows\n");
        break;
      }
      msg.append("row ").append(r + 1).append(ordered ? "" : " (after sorting both sides)").append(":\n")
          .append("  kiln:      ").append(r < left.size() ? render(left.get(r)) : "<none>").append('\n')
          .append("  reference: ").append(r < right.size() ? render(right.get(r)) : "<none>").append('\n');
    }
    fail(msg.toString());
  }

  /** Whether the last statement's outermost query has ORDER BY (ignoring subqueries, literals, comments). */
  public static boolean hasOuterOrderBy(String sql) {
    String text = stripLiteralsAndComments(sql);
    int lastStatement = text.lastIndexOf(';', lastNonBlank(text));
    text = lastStatement >= 0 ? text.substring(lastStatement + 1) : text;
    StringBuilder topLevel = new StringBuilder();
    int depth = 0;
    for (char ch : text.toCharArray()) {
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0) {
        topLevel.append(ch);
      }
    }
    return topLevel.toString().toUpperCase(Locale.ROOT).matches("(?s).*\\bORDER\\s+BY\\b.*");
  }

  /** Whether two values are equal for testing: null only with null, numbers across types. */
  public static boolean sameValue(Object a, Object b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    if (a instanceof Number && b instanceof Number) {
      return sameNumber((Number) a, (Number) b);
    }
    if (a instanceof Number || b instanceof Number) {
      return false;
    }
    return a.equals(b);
  }

  private static boolean sameNumber(Number a, Number b) {
    boolean aFloating = a instanceof Double || a instanceof Float;
    boolean bFloating = b instanceof Double || b instanceof Float;
    if (aFloating || bFloating) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
        return Double.compare(x, y) == 0;
      }
    }
    BigDecimal x = toBigDecimal(a);
    BigDecimal y = toBigDecimal(b);
    BigDecimal diff = x.subtract(y).abs();
    if (diff.compareTo(ABSOLUTE) <= 0) {
      return true;
    }
    BigDecimal relative = a instanceof Float || b instanceof Float ? RELATIVE_REAL : RELATIVE;
    if (diff.compareTo(relative.multiply(x.abs().max(y.abs()))) <= 0) {
      return true;
    }
    // A decimal rounded to its own scale against a double (e.g. a DECIMAL avg at scale 6 against
    // DuckDB's double avg). Two exact types (decimal vs decimal or integer) get no such allowance.
    Number decimal = a instanceof BigDecimal ? a : b instanceof BigDecimal ? b : null;
    Number other = decimal == a ? b : a;
    if (decimal == null || !(other instanceof Double || other instanceof Float)) {
      return false;
    }
    BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Math.max(((BigDecimal) decimal).scale(), 0))
        .divide(BigDecimal.valueOf(2));
    return diff.compareTo(halfUnit) <= 0;
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof BigInteger) {
      return new BigDecimal((BigInteger) n);
    }
    if (n instanceof Float) {
      return new BigDecimal(Float.toString(n.floatValue()));
    }
    if (n instanceof Double) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static List<Integer> differingRows(List<Object[]> left, List<Object[]> right) {
    List<Integer> out = new ArrayList<>();
    for (int r = 0; r < Math.max(left.size(), right.size()); r++) {
      if (r >= left.size() || r >= right.size() || !sameRow(left.get(r), right.get(r))) {
        out.add(r);
      }
    }
    return out;
  }

  private static boolean sameRow(Object[] a, Object[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int c = 0; c < a.length; c++) {
      if (!sameValue(a[c], b[c])) {
        return false;
      }
    }
    return true;
  }

  /** Greedy one-to-one matching; enough because equality here is nearly transitive. */
  private static boolean multisetMatch(List<Object[]> actual, List<Object[]> expected) {
    boolean[] used = new boolean[actual.size()];
    for (Object[] want : expected) {
      int found = -1;
      for (int i = 0; i < actual.size() && found < 0; i++) {
        if (!used[i] && sameRow(actual.get(i), want)) {
          found = i;
        }
      }
      if (found < 0) {
        return false;
      }
      used[found] = true;
    }
    return true;
  }

  private static List<Object[]> sortedCopy(List<Object[]> rows) {
    List<Object[]> copy = new ArrayList<>(rows);
    copy.sort(ResultAssert::compareRows);
    return copy;
  }

  /** A total order on rows: nulls first, numbers numerically across types, then by type name. */
  private static int compareRows(Object[] a, Object[] b) {
    for (int c = 0; c < Math.min(a.length, b.length); c++) {
      int cmp = compareValues(a[c], b[c]);
      if (cmp != 0) {
        return cmp;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static final Comparator<Object> BY_CLASS = Comparator.comparing(o -> rank(o));

  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    int byClass = BY_CLASS.compare(a, b);
    if (byClass != 0) {
      return byClass;
    }
    if (a instanceof Number) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      if (x == y && !(a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float)) {
        // Exact types: doubles may collide for long or precise decimals, so compare exactly.
        return toBigDecimal((Number) a).compareTo(toBigDecimal((Number) b));
      }
      return Double.compare(x, y);
    }
    if (a instanceof Boolean) {
      return Boolean.compare((Boolean) a, (Boolean) b);
    }
    if (a instanceof LocalDate) {
      return ((LocalDate) a).compareTo((LocalDate) b);
    }
    if (a instanceof LocalDateTime) {
      return ((LocalDateTime) a).compareTo((LocalDateTime) b);
    }
    return a.toString().compareTo(b.toString());
  }

  private static String rank(Object o) {
    if (o instanceof Number) {
      return "0number";
    }
    return o.getClass().getName();
  }

  private static String header(String sql, List<Object[]> actual, List<Object[]> expected, boolean ordered) {
    return "Kiln and the reference differ (" + (ordered ? "ordered" : "unordered") + " comparison; Kiln "
        + actual.size() + " rows, reference " + expected.size() + " rows)\nSQL:\n" + sql.strip() + "\n";
  }

  private static String render(Object[] row) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = row[i];
      if (v == null) {
        sb.append("NULL");
      } else if (v instanceof String) {
        sb.append('\'').append(v).append("' (String)");
      } else if (v instanceof BigDecimal) {
        sb.append(((BigDecimal) v).round(MathContext.DECIMAL64).toPlainString()).append(" (BigDecimal)");
      } else {
        sb.append(v).append(" (").append(v.getClass().getSimpleName()).append(')');
      }
    }
    return sb.append(']').toString();
  }

  private static int lastNonBlank(String text) {
    int i = text.length() - 1;
    while (i >= 0 && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ';')) {
      i--;
    }
    return Math.max(i, 0);
  }

  /** Blanks out string literals, quoted identifiers and comments so keywords inside them are ignored. */
  public static String stripLiteralsAndComments(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
        out.append(' ');
      } else if (ch == '\'' || ch == '"') {
        int j = i + 1;
        while (j < sql.length()) {
          if (sql.charAt(j) == ch) {
            if (j + 1 < sql.length() && sql.charAt(j + 1) == ch) {
              j += 2; // doubled quote inside the literal
              continue;
            }
            break;
          }
          j++;
        }
        out.append(ch).append(ch);
        i = j + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }
}
