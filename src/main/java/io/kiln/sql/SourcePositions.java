package io.kiln.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where a name occurs in the SQL text, so binding errors can say "at line L, column C". The
 * parser keeps no positions on expressions, so the first whole-word occurrence is reported: the
 * first in the statement being bound when its start is known, else the first in the text.
 */
final class SourcePositions {
  private final String sql;
  /** Where the statement being bound starts in {@link #sql}. */
  private final int from;

  SourcePositions(String sql) {
    this(sql, 0);
  }

  SourcePositions(String sql, int from) {
    this.sql = sql;
    this.from = from;
  }

  String of(String token) {
    if (token == null || token.isEmpty()) {
      return "";
    }
    Matcher m = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(token.toLowerCase(Locale.ROOT)) + "(?![A-Za-z0-9_])")
        .matcher(withoutQuotedText(sql.toLowerCase(Locale.ROOT)));
    if (!m.find(Math.min(from, sql.length())) && !m.find(0)) {
      return "";
    }
    return " at " + lineColumn(m.start());
  }

  /** The text with the inside of '...' literals blanked, so a name inside a string is never found. */
  private static String withoutQuotedText(String text) {
    StringBuilder sb = new StringBuilder(text);
    boolean inString = false;
    for (int i = 0; i < sb.length(); i++) {
      char c = sb.charAt(i);
      if (c == '\'') {
        inString = !inString;
      } else if (inString && c != '\n') {
        sb.setCharAt(i, ' ');
      }
    }
    return sb.toString();
  }

  String lineColumn(int offset) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < offset && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return "line " + line + ", column " + col;
  }
}
