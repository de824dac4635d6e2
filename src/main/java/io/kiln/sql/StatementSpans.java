package io.kiln.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each statement of a script starts and ends: the text split at semicolons outside string
 * literals, quoted names and comments, with pieces that hold only blanks and comments left out.
 */
final class StatementSpans {
  /** A statement's text is {@code sql.substring(start, end)}; {@code start} is its first token. */
  record Span(int start, int end) {}

  private StatementSpans() {}

  static List<Span> of(String sql) {
    List<Span> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == ';') {
        add(out, sql, start, i);
        start = i + 1;
        i++;
      } else {
        i = skip(sql, i);
      }
    }
    add(out, sql, start, sql.length());
    return out;
  }

  /** The index after the literal, quoted name or comment at {@code i}, or {@code i + 1}. */
  static int skip(String sql, int i) {
    char ch = sql.charAt(i);
    if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end;
    }
    if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    if (ch == '\'' || ch == '"') {
      int j = i + 1;
      while (j < sql.length()) {
        if (sql.charAt(j) == ch) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == ch) {
            j += 2; // a doubled quote stays inside
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    return i + 1;
  }

  /** The first index at or after {@code i} that is not a blank or inside a comment. */
  static int skipBlanks(String sql, int i) {
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (Character.isWhitespace(ch)) {
        i++;
      } else if ((ch == '-' || ch == '/') && skip(sql, i) > i + 1) {
        i = skip(sql, i);
      } else {
        break;
      }
    }
    return i;
  }

  private static void add(List<Span> out, String sql, int start, int end) {
    int first = skipBlanks(sql, start);
    if (first < end) {
      out.add(new Span(first, end));
    }
  }

  /** The text with everything outside {@code [start, end)} blanked (line breaks kept), so positions stay right. */
  static String only(String sql, int start, int end) {
    StringBuilder sb = new StringBuilder(sql.length());
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      sb.append(i >= start && i < end || ch == '\n' ? ch : ' ');
    }
    return sb.toString();
  }
}
